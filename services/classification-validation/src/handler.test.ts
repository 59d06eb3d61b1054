import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR, type InputRecord, type OutputRecord, type RejectRecord } from '@polluscope/common';
import { loadActivityModel } from './domain/index.js';
import { createClassificationHandler } from './handler.js';

/** The handler is not expected to dead-letter anything here. */
const failOnReject: RejectRecord = (record, _kind, reason) => {
  throw new Error(`unexpected dead letter at offset ${record.offset}: ${reason}`);
};

const model = loadActivityModel(JSON.parse(readFileSync(join(DEFAULT_MODELS_DIR, 'activity-model.json'), 'utf8')));
const START = Date.UTC(2026, 0, 5, 22, 50);
const MINUTE = 60_000;

function cleanMinute(offset: number, minute: number): InputRecord {
  return {
    topic: 'sensor.clean',
    partition: 0,
    offset,
    key: 'p1',
    value: {
      participant_virtual_id: 'p1',
      time: START + minute * MINUTE,
      pm1: 8, pm25: 12, pm10: 18, no2: 20, bc: 600, temperature: 21, humidity: 45,
      activity: 'Domicile', event: null,
    },
  };
}

const handler = () => createClassificationHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1000, lateRetentionMs: 30 * MINUTE, model: () => model });
/** This handler answers synchronously. */
const now = (outputs: readonly OutputRecord[] | Promise<readonly OutputRecord[]>) => outputs as readonly OutputRecord[];
const minutesOf = (outputs: readonly { value: unknown }[]) => outputs.map((o) => (o.value as { minutes: number }).minutes);

describe('classification-validation handler', () => {
  it('emits a segment again with all its minutes when some arrive after an idle flush emitted it', () => {
    const h = handler();
    expect(now(h.process([cleanMinute(0, 0), cleanMinute(1, 1)], 0, failOnReject))).toEqual([]);
    expect(minutesOf(h.flushIdle(5000))).toEqual([2]);
    // The rest of the segment comes later (the upstream service's own tail flush).
    const again = [...now(h.process([cleanMinute(2, 2), cleanMinute(3, 3), cleanMinute(4, 4)], 6000, failOnReject)), ...h.flushIdle(10_000)];
    expect(minutesOf(again)).toEqual([5]);
    expect(h.flushIdle(20_000)).toEqual([]);
  });

  it('holds the offsets of every segment it keeps, emitted or not, until the late retention drops it', () => {
    const h = handler();
    h.process([cleanMinute(0, 0), cleanMinute(1, 1)], 0, failOnReject);
    h.flushIdle(5000);
    // Emitted, but still kept for late minutes: a restart must rebuild it whole.
    expect(h.heldOffsets().get('sensor.clean:0')).toBe(0);
    h.process([cleanMinute(2, 2)], 6000, failOnReject);
    expect(h.heldOffsets().get('sensor.clean:0')).toBe(0);
    // 40 min later (late retention 30 min): the first segment is dropped, its offsets released.
    h.process([cleanMinute(3, 40)], 7000, failOnReject);
    expect(h.heldOffsets().get('sensor.clean:0')).toBe(3);
  });
});
