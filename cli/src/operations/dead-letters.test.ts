import { describe, expect, it } from 'vitest';
import { countByReason, lateRecomputations, letterId, matches, parseLetterId, planReplay, toDeadLetter } from './dead-letters.js';

const message = (offset: number, headers: Record<string, string>, key: string | null = 'p1', value: Buffer | null = Buffer.from([0, 0, 0, 0, 7, 2])) => ({
  offset: String(offset),
  timestamp: String(1_800_000_000_000 + offset),
  key: key === null ? null : Buffer.from(key),
  value,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
});

const future = toDeadLetter('dlq.timeseries-preprocessing', 2, message(5, { reason: 'future', error: 'future: 2026-12-07T06:00:00Z is 20 h ahead', stage: 'timeseries-preprocessing', 'source.topic': 'raw.sensor', 'source.partition': '2', 'source.offset': '41' }));

describe('toDeadLetter', () => {
  it('reads the services\' headers', () => {
    expect(future).toMatchObject({ topic: 'dlq.timeseries-preprocessing', partition: 2, offset: 5, participant: 'p1', reason: 'future', stage: 'timeseries-preprocessing', source: { topic: 'raw.sensor', partition: 2, offset: 41 }, replayedFrom: null });
  });

  it('reads the kind of letters written before the reason header from their error', () => {
    expect(toDeadLetter('dlq.gps-preprocessing', 0, message(1, { error: 'too late: 2026-…' })).reason).toBe('late');
    expect(toDeadLetter('dlq.gps-preprocessing', 0, message(1, { error: 'handler-error: boom' })).reason).toBe('handler-error');
    expect(toDeadLetter('dlq.gps-preprocessing', 0, message(1, { error: 'lat: 91 is outside [-90, 90]' })).reason).toBeNull();
  });

  it('has no source without the source headers', () => {
    expect(toDeadLetter('dlq.gps-preprocessing', 0, message(1, { error: 'x', 'source.topic': 'raw.gps' })).source).toBeNull();
  });
});

describe('selecting and naming letters', () => {
  it('filters by participant, reason and time', () => {
    expect(matches(future, { participant: 'p1', reason: 'future' })).toBe(true);
    expect(matches(future, { participant: 'p2' })).toBe(false);
    expect(matches(future, { reason: 'late' })).toBe(false);
    expect(matches(future, { sinceMs: future.timestampMs + 1 })).toBe(false);
  });

  it('names a letter topic/partition/offset and parses that name back', () => {
    expect(letterId(future)).toBe('dlq.timeseries-preprocessing/2/5');
    expect(parseLetterId('dlq.timeseries-preprocessing/2/5')).toEqual({ topic: 'dlq.timeseries-preprocessing', partition: 2, offset: 5 });
    expect(() => parseLetterId('raw.sensor/2/5')).toThrow(/not a dead letter's id/);
  });
});

describe('planReplay', () => {
  it('sends a letter back to the partition it came from, and skips one that says nothing of its source', () => {
    const orphan = toDeadLetter('dlq.gps-preprocessing', 0, message(3, { error: 'x' }));
    const empty = toDeadLetter('dlq.gps-preprocessing', 0, message(4, { error: 'x', 'source.topic': 'raw.gps', 'source.partition': '1', 'source.offset': '9' }, 'p1', null));
    expect(planReplay([future, orphan, empty]).map((s) => [s.target, s.skip])).toEqual([
      [{ topic: 'raw.sensor', partition: 2 }, null],
      [null, 'no source headers: where it came from is unknown'],
      [null, 'no value to replay'],
    ]);
  });

  it('recomputes the participant of a raw row dead-lettered as late instead of sending it back to be late again', () => {
    const source = { 'source.topic': 'raw.gps', 'source.partition': '1', 'source.offset': '9' };
    const late = (offset: number, participant: string) => toDeadLetter('dlq.gps-preprocessing', 0, message(offset, { reason: 'late', error: 'too late: …', ...source }, participant));
    const lateClean = toDeadLetter('dlq.stop-move-detection', 0, message(12, { reason: 'late', error: 'too late: …', 'source.topic': 'gps.clean', 'source.partition': '1', 'source.offset': '3' }));
    const steps = planReplay([late(10, 'p2'), late(11, 'p1'), late(13, 'p2'), lateClean]);
    expect(steps.map((s) => [s.target, s.skip, s.recompute])).toEqual([
      [null, null, true],
      [null, null, true],
      [null, null, true],
      // Not a rawdata row: sent back as any other letter.
      [{ topic: 'gps.clean', partition: 1 }, null, false],
    ]);
    const times: Record<number, number | null> = { 10: 5_000, 11: 9_000, 13: 2_000 };
    expect(lateRecomputations(steps, (letter) => times[letter.offset] ?? null)).toEqual([
      { participant: 'p1', fromMs: 9_000, letters: 1 },
      { participant: 'p2', fromMs: 2_000, letters: 2 },
    ]);
    expect(lateRecomputations(steps, () => null)).toEqual([]);
  });
});

describe('countByReason', () => {
  it('counts per topic and reason with the newest time', () => {
    const later = toDeadLetter('dlq.timeseries-preprocessing', 1, message(9, { reason: 'future', error: 'future: …' }));
    const invalid = toDeadLetter('dlq.timeseries-preprocessing', 1, message(2, { reason: 'invalid', error: 'pm25: not a number' }));
    expect(countByReason([future, later, invalid])).toEqual([
      { topic: 'dlq.timeseries-preprocessing', reason: 'future', count: 2, newestMs: 1_800_000_000_009 },
      { topic: 'dlq.timeseries-preprocessing', reason: 'invalid', count: 1, newestMs: 1_800_000_000_002 },
    ]);
  });
});
