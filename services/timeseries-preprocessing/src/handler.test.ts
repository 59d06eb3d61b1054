import { describe, expect, it } from 'vitest';
import type { InputRecord, OutputRecord, RejectRecord } from '@polluscope/common';
import { createTimeseriesHandler } from './handler.js';

/** The handler is not expected to dead-letter anything here. */
const failOnReject: RejectRecord = (record, _kind, reason) => {
  throw new Error(`unexpected dead letter at offset ${record.offset}: ${reason}`);
};

const START = Date.UTC(2026, 0, 5, 8, 0, 0);
const MINUTE = 60_000;

/** Two participants' raw.sensor records, interleaved as one partition delivers them. */
function rawRecords(): InputRecord[] {
  const records: InputRecord[] = [];
  let offset = 0;
  for (let minute = 0; minute < 240; minute++) {
    for (const participant of ['p1', 'p2']) {
      const wave = Math.sin(minute / 7) * 4;
      records.push({
        topic: 'raw.sensor',
        partition: 0,
        offset: offset++,
        key: participant,
        value: {
          id: offset,
          participant_virtual_id: participant,
          kit_id: 3,
          time: new Date(START + minute * MINUTE).toISOString(),
          pm1: 5 + wave,
          pm25: minute === 100 ? 999 : 10 + wave,
          pm10: minute % 50 === 7 ? null : 15 + wave,
          no2: minute === 60 ? 240 : 20 + wave,
          bc: null,
          temperature: 21,
          humidity: 50 + wave,
          activity: minute < 120 ? 'Domicile' : 'Rue',
          event: null,
        },
      });
    }
  }
  return records;
}

/** Feeds the records in polls of `size`, then flushes as the idle timeout would. */
function run(records: readonly InputRecord[], size: number): string {
  const handler = createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
  const outputs: OutputRecord[] = [];
  for (let i = 0; i < records.length; i += size) outputs.push(...(handler.process(records.slice(i, i + size), 0, failOnReject) as OutputRecord[]));
  outputs.push(...handler.flushIdle(10));
  const byKey = new Map(outputs.map((o) => [`${o.key}@${(o.value as { time: number }).time}`, o.value]));
  return JSON.stringify([...byKey].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('timeseries-preprocessing handler', () => {
  const records = rawRecords();

  it('gives byte-identical sensor.clean output whether the input comes in 1, 7 or 500 polls', () => {
    const whole = run(records, records.length);
    expect(run(records, Math.ceil(records.length / 7))).toBe(whole);
    expect(run(records, Math.ceil(records.length / 500))).toBe(whole);
    expect(JSON.parse(whole)).toHaveLength(480);
  });

  it('holds offsets of rows still in open windows and releases them after the flush', () => {
    const handler = createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
    handler.process(records.slice(0, 40), 0, failOnReject);
    expect(handler.heldOffsets().get('raw.sensor:0')).toBe(0);
    handler.process(records.slice(40), 0, failOnReject);
    const held = handler.heldOffsets().get('raw.sensor:0');
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(records.length);
  });

  it('dead-letters a repeat of a minute whose context is gone, and re-cleans one still in context', () => {
    const handler = createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
    const p1 = records.filter((r) => r.key === 'p1');
    handler.process(p1, 0, failOnReject);
    const rejected: { offset: number; kind: string; reason: string }[] = [];
    const repeat = (minute: number, offset: number): InputRecord => ({ ...p1[minute]!, offset });
    // Minute 0 is 4 h behind the rows already cleaned; minute 230 is within the 30 min kept.
    const out = handler.process([repeat(0, 10_000), repeat(230, 10_001)], 0, (record, kind, reason) =>
      rejected.push({ offset: record.offset, kind, reason }),
    ) as OutputRecord[];
    expect(rejected).toEqual([{ offset: 10_000, kind: 'late', reason: expect.stringContaining('too late: 2026-01-05T08:00:00.000Z') }]);
    expect(out.map((o) => (o.value as { time: number }).time)).toContain(START + 230 * MINUTE);
    expect(out.map((o) => (o.value as { time: number }).time)).not.toContain(START);
  });

  it('rejects records the cleaner cannot use, with the reason', () => {
    const handler = createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
    expect(handler.validate('raw.sensor', { participant_virtual_id: '', time: '2026-01-05T08:00:00Z' })).toContain('participant_virtual_id');
    expect(handler.validate('raw.sensor', { participant_virtual_id: 'p1', time: 'yesterday' })).toContain('time');
    expect(handler.validate('raw.sensor', { participant_virtual_id: 'p1', time: '2026-01-05T08:00:00Z', pm25: 'high' })).toContain('pm25');
    expect(handler.validate('raw.sensor', { participant_virtual_id: 'p1', time: '2026-01-05T08:00:00Z', pm25: 3 })).toBeNull();
  });
});
