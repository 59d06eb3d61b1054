import { describe, expect, it } from 'vitest';
import { invalid, keyedStage, parsed, type StageRecord } from './keyed-stage.js';
import { parseReprocessCovers, REPROCESS_HEADER, type InputRecord, type OutputRecord, type ReprocessCovers } from './stream-runner.js';
import { TOPICS } from './topics.js';

/** A tiny stage: each record's value `n` added to its participant's running sum, which it emits. */
function summingStage() {
  return keyedStage<{ sum: number }, { participant_virtual_id: string; n: number }>({
    service: 'timeseries-preprocessing',
    parse: (_topic, value) =>
      typeof value.participant_virtual_id === 'string' && typeof value.n === 'number' ? parsed({ participant_virtual_id: value.participant_virtual_id, n: value.n }) : invalid('bad'),
    idleTimeoutMs: 1000,
    createState: () => ({ sum: 0 }),
    oldestHeldOffset: () => null,
    onRecords: (participant, state, records: readonly StageRecord<{ participant_virtual_id: string; n: number }>[]) =>
      records.map((r) => {
        state.sum += r.value.n;
        return { topic: TOPICS.sensorClean, key: participant, value: { participant_virtual_id: participant, sum: state.sum } };
      }),
    onIdle: () => [],
  });
}

let offset = 0;
const record = (participant: string, n: number, reprocess?: string): InputRecord => ({
  topic: 'raw.sensor',
  partition: 0,
  offset: offset++,
  key: participant,
  value: { participant_virtual_id: participant, n },
  ...(reprocess ? { reprocess } : {}),
});
const sums = (outputs: readonly OutputRecord[]) => outputs.map((o) => [(o.value as { sum: number }).sum, o.headers?.[REPROCESS_HEADER] ?? null]);

describe('keyed stage: reprocessing', () => {
  it('starts a participant afresh at the first record of a new reprocessing, after handing out the records before it', async () => {
    const stage = summingStage();
    const out = await stage.process([record('a', 1), record('a', 2), record('b', 5), record('a', 10, 'r1'), record('a', 20, 'r1')], 0, () => {});
    // a: 1, 3 under no reprocessing; then afresh: 10, 30 stamped r1. b is untouched.
    expect(sums(out.filter((o) => o.key === 'a'))).toEqual([[1, null], [3, null], [10, 'r1'], [30, 'r1']]);
    expect(sums(out.filter((o) => o.key === 'b'))).toEqual([[5, null]]);
  });

  it('keeps stamping the participant\'s later outputs, live ones too, and starts afresh only once per reprocessing', async () => {
    const stage = summingStage();
    await stage.process([record('a', 1), record('a', 10, 'r1')], 0, () => {});
    const later = await stage.process([record('a', 5), record('a', 1, 'r1')], 0, () => {});
    expect(sums(later)).toEqual([[15, 'r1'], [16, 'r1']]);
    const again = await stage.process([record('a', 2, 'r2')], 0, () => {});
    expect(sums(again)).toEqual([[2, 'r2']]);
  });
});

describe('keyed stage: the change-data-capture copies a reprocessing delivered', () => {
  /** A raw.sensor row with its rawdata id and time, as change data capture (or a reprocessing with `covers`) sends it. */
  const row = (participant: string, id: number, minute: number, n: number, reprocess?: { id: string; covers?: ReprocessCovers }): InputRecord => ({
    topic: 'raw.sensor',
    partition: 0,
    offset: offset++,
    key: participant,
    value: { participant_virtual_id: participant, id, time: new Date(Date.UTC(2026, 11, 7, 8, minute)).toISOString(), n },
    ...(reprocess ? { reprocess: reprocess.id, ...(reprocess.covers ? { covers: reprocess.covers } : {}) } : {}),
  });
  const covers = { fromMs: Date.UTC(2026, 11, 7, 8, 10), upToId: 20 };

  it('skips a later copy of a row the reprocessing re-published (id up to upToId, time from fromMs), and only that', async () => {
    const stage = summingStage();
    const out = await stage.process(
      [
        row('a', 11, 10, 1, { id: 'r1', covers }),
        row('a', 20, 12, 2, { id: 'r1', covers }),
        row('a', 20, 12, 100), // its copy: skipped
        row('a', 12, 11, 100), // skipped
        row('a', 5, 9, 4), // before fromMs: not in the reprocessing, counted
        row('a', 21, 13, 8), // inserted after the reprocessing read: counted
        row('b', 15, 12, 16), // another participant: counted
      ],
      0,
      () => {},
    );
    expect(sums(out.filter((o) => o.key === 'a'))).toEqual([[1, 'r1'], [3, 'r1'], [7, 'r1'], [15, 'r1']]);
    expect(sums(out.filter((o) => o.key === 'b'))).toEqual([[16, null]]);
  });

  it('does not skip a copy from the span\'s end on, which the reprocessing did not re-publish', async () => {
    const stage = summingStage();
    const bounded = { ...covers, toMs: Date.UTC(2026, 11, 7, 8, 15) };
    const out = await stage.process([row('a', 11, 10, 1, { id: 'r1', covers: bounded }), row('a', 12, 11, 100), row('a', 13, 15, 2)], 0, () => {});
    expect(sums(out)).toEqual([[1, 'r1'], [3, 'r1']]);
  });

  it('forgets what an earlier reprocessing covered when a new one begins without it', async () => {
    const stage = summingStage();
    await stage.process([row('a', 11, 10, 1, { id: 'r1', covers })], 0, () => {});
    const out = await stage.process([row('a', 30, 20, 2, { id: 'r2' }), row('a', 11, 10, 4)], 0, () => {});
    expect(sums(out)).toEqual([[2, 'r2'], [6, 'r2']]);
  });
});

describe('reprocess covers header', () => {
  it('reads fromMs and upToId, and nothing else', () => {
    expect(parseReprocessCovers('{"fromMs":1765000000000,"upToId":42}')).toEqual({ fromMs: 1765000000000, upToId: 42 });
    expect(parseReprocessCovers('{"fromMs":1,"toMs":5,"upToId":42}')).toEqual({ fromMs: 1, toMs: 5, upToId: 42 });
    expect(parseReprocessCovers('{"fromMs":1,"toMs":"5","upToId":42}')).toBeNull();
    expect(parseReprocessCovers('{"fromMs":1,"upToId":1.5}')).toBeNull();
    expect(parseReprocessCovers('{"upToId":3}')).toBeNull();
    expect(parseReprocessCovers('not json')).toBeNull();
    expect(parseReprocessCovers('null')).toBeNull();
  });
});

describe('keyed stage: changelog', () => {
  /** The summing stage with its sums in a changelog, written at every cycle. */
  const changelogged = () =>
    keyedStage<{ sum: number }, { participant_virtual_id: string; n: number }>({
      service: 'stop-move-detection',
      parse: (_topic, value) => parsed({ participant_virtual_id: String(value.participant_virtual_id), n: Number(value.n) }),
      idleTimeoutMs: 1000,
      createState: () => ({ sum: 0 }),
      // Without a snapshot, every record from the first is held.
      oldestHeldOffset: () => 0,
      onRecords: (participant, state, records: readonly StageRecord<{ participant_virtual_id: string; n: number }>[]) => {
        for (const r of records) state.sum += r.value.n;
        return [{ topic: TOPICS.gpsEpisodes, key: participant, value: { sum: state.sum } }];
      },
      onIdle: () => [],
      changelog: { snapshot: (state) => state, restore: (json) => json as { sum: number }, intervalMs: 0 },
    });
  const gps = (participant: string, n: number, at: number): InputRecord => ({ topic: 'gps.clean', partition: 4, offset: at, key: participant, value: { participant_virtual_id: participant, n } });

  it('holds a participant at its acknowledged snapshot, and a restored stage skips what the snapshot folded in', async () => {
    const stage = changelogged();
    await stage.process([gps('a', 1, 0), gps('a', 2, 1), gps('b', 10, 2)], 0, () => {});
    expect(stage.heldByParticipant()).toEqual(new Map([['gps.clean:4', new Map([['a', 0], ['b', 0]])]]));
    const records = stage.changelogRecords!(0);
    expect(records.map((r) => [r.key, r.partition, r.value?.upTo, r.value?.state])).toEqual([
      ['a', 4, { 'gps.clean:4': 3 }, { sum: 3 }],
      ['b', 4, { 'gps.clean:4': 3 }, { sum: 10 }],
    ]);
    stage.changelogProduced!(records);
    expect(stage.heldByParticipant()).toEqual(new Map([['gps.clean:4', new Map([['a', 3], ['b', 3]])]]));

    // A restart: the new stage restores the snapshots, then re-reads from offset 0 (no commit metadata).
    const restarted = changelogged();
    restarted.restore!(records);
    const out = await restarted.process([gps('a', 1, 0), gps('a', 2, 1), gps('b', 10, 2), gps('a', 100, 3)], 5, () => {});
    expect(out.map((o) => [o.key, o.value])).toEqual([['a', { sum: 103 }]]);
  });

  it('rewinds to the acknowledged snapshots, not to a fresh state', async () => {
    const stage = changelogged();
    await stage.process([gps('a', 1, 0)], 0, () => {});
    stage.changelogProduced!(stage.changelogRecords!(0));
    await stage.process([gps('a', 5, 1)], 1, () => {});
    stage.changelogRecords!(1); // taken, but the send failed: the runner rewinds
    stage.reset();
    expect(stage.entry('a')?.state).toEqual({ sum: 1 });
    const out = await stage.process([gps('a', 1, 0), gps('a', 5, 1)], 2, () => {});
    expect(out.map((o) => o.value)).toEqual([{ sum: 6 }]);
  });
});
