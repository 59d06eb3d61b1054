import { describe, expect, it } from 'vitest';
import { TOPICS, type InputRecord, type OutputRecord, type RejectRecord } from '@polluscope/common';
import { createGpsHandler } from './handler.js';


const START = Date.UTC(2026, 0, 5, 8, 0, 0);

function fix(offset: number, participant: string, second: number, lat: number, lon: number): InputRecord {
  return {
    topic: 'raw.gps',
    partition: 1,
    offset,
    key: participant,
    value: { id: offset, participant_virtual_id: participant, tablet_id: 4, time: new Date(START + second * 1000).toISOString(), lat, lon },
  };
}

/** 600 s of 1 Hz fixes walking north, with a duplicate, a 1000 km/h jump and rows out of order. */
function records(): InputRecord[] {
  const list: InputRecord[] = [];
  let offset = 0;
  for (let s = 0; s < 600; s++) {
    for (const participant of ['p1', 'p2']) list.push(fix(offset++, participant, s, 48.85 + s * 0.00001, 2.35));
  }
  list.push(fix(offset++, 'p1', 10, 48.85 + 10 * 0.00001, 2.35)); // exact duplicate
  list.splice(500, 0, fix(offset++, 'p2', 249.5, 49.2, 2.35)); // 39 km away in half a second
  const [a, b] = [list[300], list[301]];
  if (a && b) [list[300], list[301]] = [b, a]; // delivered out of order
  return list;
}

/** Dead letters of a run: offset, kind and reason. */
type Rejected = Array<{ offset: number; kind: string; reason: string }>;

/** The values a fresh handler sends to `topic` when fed `input` in polls of `size`, by participant and time. */
function run(input: readonly InputRecord[], size: number, rejected: Rejected = [], topic = TOPICS.gpsClean.name): string {
  const handler = createGpsHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
  const reject: RejectRecord = (record, kind, reason) => rejected.push({ offset: record.offset, kind, reason });
  const outputs: OutputRecord[] = [];
  for (let i = 0; i < input.length; i += size) outputs.push(...(handler.process(input.slice(i, i + size), 0, reject) as OutputRecord[]));
  outputs.push(...handler.flushIdle(10));
  return JSON.stringify(outputs.filter((o) => o.topic.name === topic).map((o) => o.value).sort((x, y) => {
    const [p, q] = [x as { participant_virtual_id: string; time: number }, y as { participant_virtual_id: string; time: number }];
    return p.participant_virtual_id.localeCompare(q.participant_virtual_id) || p.time - q.time;
  }));
}

describe('gps-preprocessing handler', () => {
  const input = records();

  it('gives identical gps.clean output whether the input comes in 1, 7 or 500 polls', () => {
    const whole = run(input, input.length);
    expect(run(input, Math.ceil(input.length / 7))).toBe(whole);
    expect(run(input, Math.ceil(input.length / 500))).toBe(whole);
  });

  it('keeps every fix once, drops the duplicate and the impossible jump, and indexes the points', () => {
    const points = JSON.parse(run(input, 100)) as { participant_virtual_id: string; time: number; col: number; hilbert: number; speed_mps: number | null }[];
    expect(points.filter((p) => p.participant_virtual_id === 'p1')).toHaveLength(600);
    expect(points.filter((p) => p.participant_virtual_id === 'p2')).toHaveLength(600);
    expect(points.every((p) => Number.isInteger(p.col) && Number.isInteger(p.hilbert))).toBe(true);
    expect(points[0]?.speed_mps).toBeNull();
    expect(points[1]?.speed_mps).toBeCloseTo(1.112, 3); // 0.00001° of latitude per second
  });

  it('ignores an exact repeat of a fix already cleaned, whatever the polls', () => {
    const inOnePoll: Rejected = [];
    const inPolls: Rejected = [];
    expect(run(input, 100, inPolls)).toBe(run(input, input.length, inOnePoll));
    // The repeat of second 10 comes when p1 is cleaned up to second 479: a duplicate of a fix
    // already cleaned, dropped as the CLI drops duplicates (a late new fix is dead-lettered: see live-rate.test.ts).
    expect(inOnePoll).toEqual([]);
    expect(inPolls).toEqual([]);
  });

  it('sends the impossible jump, and only it, to gps.dropped with its reason, whatever the polls', () => {
    const dropped = run(input, input.length, [], TOPICS.gpsDropped.name);
    expect(JSON.parse(dropped)).toEqual([
      { participant_virtual_id: 'p2', time: START + 249_500, tablet_id: 4, lat: 49.2, lon: 2.35, reason: 'too-fast' },
    ]);
    expect(run(input, Math.ceil(input.length / 7), [], TOPICS.gpsDropped.name)).toBe(dropped);
    expect(run(input, 1, [], TOPICS.gpsDropped.name)).toBe(dropped);
  });

  it('sends nothing to gps.dropped for the records it dead-letters', () => {
    // Fixes at 0 s and 300 s, then one at 10 s delivered after the fix at 300 s was cleaned: late, not dropped.
    const rejected: Rejected = [];
    const late = [fix(0, 'p3', 0, 48.85, 2.35), fix(1, 'p3', 300, 48.851, 2.35), fix(2, 'p3', 10, 48.85, 2.35)];
    const handler = createGpsHandler({ allowedLatenessMs: 0, idleTimeoutMs: 1 });
    const outputs = [...(handler.process(late, 0, (r, kind, reason) => rejected.push({ offset: r.offset, kind, reason })) as OutputRecord[]), ...handler.flushIdle(10)];
    expect(rejected.map((r) => [r.offset, r.kind])).toEqual([[2, 'late']]);
    expect(outputs.filter((o) => o.topic === TOPICS.gpsDropped)).toEqual([]);
    expect(outputs.filter((o) => o.topic === TOPICS.gpsClean).map((o) => (o.value as { time: number }).time)).toEqual([START, START + 300_000]);
  });

  it('sends the same gps.dropped records, keyed by participant, when the same records are read again', () => {
    const trajectory = [
      fix(0, 'p4', 0, 48.85, 2.35),
      fix(1, 'p4', 10, 48.8501, 2.35),
      fix(2, 'p4', 20, 48.95, 2.35), // 11 km in 10 s
      fix(3, 'p4', 30, 48.8502, 2.35),
    ];
    const once = () => {
      const handler = createGpsHandler({ allowedLatenessMs: 0, idleTimeoutMs: 1 });
      const outputs = [...(handler.process(trajectory, 0, () => undefined) as OutputRecord[]), ...handler.flushIdle(10)];
      return outputs.filter((o) => o.topic === TOPICS.gpsDropped).map((o) => ({ key: o.key, value: o.value }));
    };
    const first = once();
    expect(first).toEqual([{ key: 'p4', value: { participant_virtual_id: 'p4', time: START + 20_000, tablet_id: 4, lat: 48.95, lon: 2.35, reason: 'too-fast' } }]);
    expect(once()).toEqual(first);
  });

  it('sends out-of-range fixes to the dead letters with the reason', () => {
    const handler = createGpsHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1 });
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: '2026-01-05T08:00:00Z', lat: 200, lon: 2 })).toBe('lat outside [-90, 90]');
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: 'never', lat: 48, lon: 2 })).toBe('time missing or unparseable');
    expect(handler.validate('raw.gps', { participant_virtual_id: ' ', time: '2026-01-05T08:00:00Z', lat: 48, lon: 2 })).toContain('participant');
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: '2026-01-05T08:00:00Z', lat: Number.NaN, lon: 2 })).toBe('lat not a number');
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: '1970-01-01T00:00:00Z', lat: 48, lon: 2 })).toMatch(/^time: before 2010-01-01/);
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: '2100-01-01T00:00:00Z', lat: 48, lon: 2 })).toMatch(/^future: /);
    expect(handler.validate('raw.gps', { participant_virtual_id: 'p1', time: '2026-01-05T08:00:00Z', lat: 48, lon: 2 })).toBeNull();
  });
});
