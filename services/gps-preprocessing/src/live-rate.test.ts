/**
 * The live guarantee (docs/design.md §4) for raw.gps → gps.clean and gps.dropped: fed at once, one
 * fix at a time with an idle flush between fixes, or in bursts with pauses, and restarted anywhere
 * (also just after an idle flush), the rows an upserting sink ends with equal the CLI's cleaning
 * (`cleanGpsPoints` then `rasterCell`, as `polluscope gps` calls them) on the same fixes, key for
 * key: the kept fixes in gps.clean, the dropped ones with their reason in gps.dropped.
 */
import { describe, expect, it } from 'vitest';
import { feedInPattern, haversineDistanceM, LiveFeed, seededIndices, TOPICS, type ArrivalPattern, type FedRecord } from '@polluscope/common';
import { cleanGpsPoints, rasterCell, type GpsPoint } from './domain/index.js';
import { createGpsHandler } from './handler.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const IDLE_MS = 1000;
const M_PER_DEG_LAT = (6_371_000 * Math.PI) / 180;

/** A fix `yM` metres north of (48.8, 2.3) at `tS` seconds after T0. */
const fix = (participant: string, yM: number, tS: number, xDeg = 0): FedRecord & { point: GpsPoint } => {
  const point = { timeMs: T0 + tS * 1000, lat: 48.8 + yM / M_PER_DEG_LAT, lon: 2.3 + xDeg };
  return {
    topic: TOPICS.rawGps.name,
    key: participant,
    value: { participant_virtual_id: participant, tablet_id: 4, time: new Date(point.timeMs).toISOString(), lat: point.lat, lon: point.lon },
    point,
  };
};

/**
 * 10 minutes of walking north at 1.4 m/s, a fix every 5 s (121 fixes), with an exact repeat of
 * the fix at 100 s, a fix 5 km east 5 s after 200 s (3600 km/h), and a second fix at 300 s 10 m
 * off: the speed filter keeps the 121 walking fixes and drops the 3 others.
 */
function walk(participant: string): Array<FedRecord & { point: GpsPoint }> {
  const records: Array<FedRecord & { point: GpsPoint }> = [];
  for (let t = 0; t <= 600; t += 5) {
    records.push(fix(participant, 1.4 * t, t));
    if (t === 100) records.push(fix(participant, 1.4 * t, t));
    if (t === 200) records.push(fix(participant, 1.4 * t, t + 2.5, 0.068));
    if (t === 300) records.push(fix(participant, 1.4 * t + 10, t));
  }
  return records;
}

const keyOf = (v: Record<string, unknown>) => `${String(v.participant_virtual_id)}|${String(v.time)}`;

/** What the CLI's cleaning gives, as gps.clean rows. */
function batchRows(records: ReadonlyArray<FedRecord & { point: GpsPoint }>): Map<string, Record<string, unknown>> {
  const byParticipant = new Map<string, GpsPoint[]>();
  for (const r of records) {
    const list = byParticipant.get(r.key) ?? [];
    list.push(r.point);
    byParticipant.set(r.key, list);
  }
  const rows = new Map<string, Record<string, unknown>>();
  for (const [participant, points] of byParticipant) {
    let before: GpsPoint | null = null;
    for (const p of cleanGpsPoints(points).kept) {
      const cell = rasterCell(p.lat, p.lon);
      const row = {
        participant_virtual_id: participant,
        time: p.timeMs,
        tablet_id: 4,
        lat: p.lat,
        lon: p.lon,
        col: cell?.col ?? null,
        row: cell?.row ?? null,
        hilbert: cell?.hilbert ?? null,
        speed_mps: before === null ? null : haversineDistanceM(before.lat, before.lon, p.lat, p.lon) / ((p.timeMs - before.timeMs) / 1000),
      };
      rows.set(keyOf(row), row);
      before = p;
    }
  }
  return rows;
}

/** What the CLI's cleaning drops, as gps.dropped rows. */
function batchDroppedRows(records: ReadonlyArray<FedRecord & { point: GpsPoint }>): Map<string, Record<string, unknown>> {
  const byParticipant = new Map<string, GpsPoint[]>();
  for (const r of records) byParticipant.set(r.key, [...(byParticipant.get(r.key) ?? []), r.point]);
  const rows = new Map<string, Record<string, unknown>>();
  for (const [participant, points] of byParticipant) {
    for (const { point, reason } of cleanGpsPoints(points).dropped) {
      const row = { participant_virtual_id: participant, time: point.timeMs, tablet_id: 4, lat: point.lat, lon: point.lon, reason };
      rows.set(keyOf(row), row);
    }
  }
  return rows;
}

/** The final tables after feeding the records as `pattern` says (see feedInPattern). */
function feed(records: readonly FedRecord[], pattern: ArrivalPattern, restartAfter: ReadonlySet<number> = new Set(), afterIdle = false) {
  const live = new LiveFeed(() => createGpsHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS }));
  feedInPattern(live, records, pattern, restartAfter, afterIdle);
  return { table: live.table(TOPICS.gpsClean.name, keyOf), dropped: live.table(TOPICS.gpsDropped.name, keyOf), live };
}

const sortedRows = (rows: Map<string, Record<string, unknown>>) => [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

describe('gps-preprocessing at live rates and across restarts', () => {
  const records = walk('p1');
  const batch = batchRows(records);

  it('keeps the 121 walking fixes and drops the repeat, the jump and the second fix at 300 s', () => {
    expect(records).toHaveLength(124);
    expect(batch.size).toBe(121);
    const rows = sortedRows(batch);
    expect(rows[0]!.speed_mps).toBeNull();
    expect(rows[1]!.speed_mps).toBeCloseTo(1.4, 6);
    // The fix after the dropped jump is measured from the fix before it.
    expect(rows.find((r) => r.time === T0 + 205_000)!.speed_mps).toBeCloseTo(1.4, 6);
  });

  it('drops the repeat as a duplicate, the jump as too fast and the other fix at 300 s as same-time, as the CLI does', () => {
    expect(sortedRows(batchDroppedRows(records)).map((r) => [r.time, r.reason])).toEqual([
      [T0 + 100_000, 'duplicate'],
      [T0 + 202_500, 'too-fast'],
      [T0 + 300_000, 'same-time'],
    ]);
  });

  it('gives the batch rows whether fed at once, one fix at a time or in bursts', () => {
    for (const pattern of ['at-once', 'one-by-one', 'bursts'] as const) {
      const { table, dropped, live } = feed(records, pattern);
      expect(sortedRows(table), pattern).toEqual(sortedRows(batch));
      expect(sortedRows(dropped), pattern).toEqual(sortedRows(batchDroppedRows(records)));
      // The repeat of 100 s and the second fix at 300 s have the time of the fix before them, so
      // they are never behind the last kept fix: the filter drops them, they are not dead-lettered.
      expect(live.deadLetters, pattern).toEqual([]);
    }
  });

  it('gives the batch rows with restarts at seeded points, before or just after an idle flush', () => {
    for (const pattern of ['at-once', 'one-by-one', 'bursts'] as const) {
      for (const seed of [1, 2, 3, 4]) {
        for (const afterIdle of [false, true]) {
          const restarts = pattern === 'at-once' ? new Set([0]) : seededIndices(seed, records.length, 5);
          const { table, dropped, live } = feed(records, pattern, restarts, afterIdle);
          expect(live.restarts).toBe(restarts.size);
          expect(sortedRows(table), `${pattern}, seed ${seed}, after idle ${afterIdle}`).toEqual(sortedRows(batch));
          expect(sortedRows(dropped), `dropped, ${pattern}, seed ${seed}, after idle ${afterIdle}`).toEqual(sortedRows(batchDroppedRows(records)));
        }
      }
    }
  });

  it('re-reads from the last kept fix after a restart, so the next fix keeps its speed from it', () => {
    // Restart after every fix, just after its idle flush: each restart rebuilds from one record.
    const every = new Set(records.map((_, i) => i));
    const { table, live } = feed(records, 'one-by-one', every, true);
    expect(sortedRows(table)).toEqual(sortedRows(batch));
    expect(live.openParticipants()).toBe(0);
    const committed = live.committedOffsets().get(`${TOPICS.rawGps.name}:0`);
    // The last record is the fix at 600 s, the last kept one: it stays held.
    expect(committed?.offset).toBe(records.length - 1);
  });

  it('keeps two participants on one partition apart', () => {
    const a = walk('a');
    const b = walk('b').map((r) => ({ ...r }));
    const both: Array<FedRecord & { point: GpsPoint }> = [];
    for (let i = 0; i < a.length; i++) both.push(a[i]!, b[i]!);
    const expected = sortedRows(batchRows(both));
    expect(expected).toHaveLength(242);
    expect(sortedRows(feed(both, 'one-by-one').table)).toEqual(expected);
    expect(sortedRows(feed(both, 'bursts', seededIndices(9, both.length, 6), true).table)).toEqual(expected);
  });

  it('rebuilds each participant of a partition from its own held offset, not from the oldest one held', () => {
    // a's only fix stays its last kept one (offset 2) and holds the partition back; b's 50 km
    // outlier at offset 3 is dropped, and b's state moves on. After a restart the partition is
    // re-read from offset 2: b must skip what precedes its own held fix, or the outlier, its first
    // record re-read, would seed its speed filter and its later fixes would be dropped as too fast.
    const records: Array<FedRecord & { point: GpsPoint }> = [fix('b', 0, 0), fix('b', 7, 5), fix('a', 0, 0), fix('b', 0, 7, 0.7)];
    for (let t = 10; t <= 200; t += 5) records.push(fix('b', 1.4 * t, t));
    const expected = sortedRows(batchRows(records));
    expect(expected).toHaveLength(1 + 2 + 39);
    for (const restartAt of [5, 20, records.length - 1]) {
      const { table, live } = feed(records, 'one-by-one', new Set([restartAt]), true);
      expect(live.committedOffsets().get(`${TOPICS.rawGps.name}:0`)?.offset).toBe(2);
      expect(sortedRows(table), `restart after record ${restartAt}`).toEqual(expected);
    }
  });
});

describe('gps-preprocessing and repeated fixes', () => {
  it('ignores an exact repeat of a fix already cleaned (a source resending after a restart), and dead-letters a late new fix', () => {
    const records = walk('p1');
    const live = new LiveFeed(() => createGpsHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS }));
    feedInPattern(live, records, 'one-by-one');
    const before = sortedRows(live.table(TOPICS.gpsClean.name, keyOf));
    const droppedBefore = sortedRows(live.table(TOPICS.gpsDropped.name, keyOf));
    // Resent: the fixes at 100 s and 200 s, exactly; new: a fix at 102 s nobody sent before.
    live.deliver([fix('p1', 1.4 * 100, 100), fix('p1', 1.4 * 200, 200), fix('p1', 1.4 * 102, 102)], 10_000_000);
    live.idle(10_005_000);
    expect(sortedRows(live.table(TOPICS.gpsClean.name, keyOf))).toEqual(before);
    expect(sortedRows(live.table(TOPICS.gpsClean.name, keyOf))).toEqual(sortedRows(batchRows(records)));
    // Neither the repeats nor the dead-lettered fix are dropped fixes: gps.dropped is unchanged.
    expect(sortedRows(live.table(TOPICS.gpsDropped.name, keyOf))).toEqual(droppedBefore);
    expect(live.deadLetters.map((d) => [d.kind, (d.record.value as { time: string }).time])).toEqual([['late', new Date(T0 + 102_000).toISOString()]]);
  });
});
