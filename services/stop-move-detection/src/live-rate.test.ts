/**
 * The live guarantee (docs/design.md §4) for gps.clean → gps.episodes: fed at once, one fix at a time
 * with an idle flush between fixes, or in bursts with pauses, and restarted anywhere (also just
 * after an idle flush), the rows an upserting sink ends with equal the CLI's domain function
 * (`detectStayPoints`, as `polluscope gps stops` calls it) on the same points, key for key.
 */
import { describe, expect, it } from 'vitest';
import { feedInPattern, LiveFeed, seededIndices, TOPICS, type ArrivalPattern, type FedRecord } from '@polluscope/common';
import { detectStayPoints, type TrackPoint } from './domain/index.js';
import { pt } from './domain/trajectory/test-points.js';
import { createStopMoveHandler, toEpisodeRecord } from './handler.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const IDLE_MS = 1000;
const P = 'p1';

/** `pt` shifted to a real day. */
const at = (xM: number, yM: number, tS: number): TrackPoint => {
  const p = pt(xM, yM, tS);
  return { ...p, timeMs: T0 + p.timeMs };
};

/** A fix every 5 s over [fromS, toS], each `stepM` further east from `x0M` (120 m: 86 km/h). */
const drive = (x0M: number, fromS: number, toS: number, stepM = 120): TrackPoint[] => {
  const points: TrackPoint[] = [];
  for (let t = fromS, k = 0; t <= toS; t += 5, k++) points.push(at(x0M + k * stepM, 0, t));
  return points;
};

/** A fix every 5 s over [fromS, toS] within 8 m of (xM, 0). */
const stay = (xM: number, fromS: number, toS: number): TrackPoint[] => {
  const points: TrackPoint[] = [];
  for (let t = fromS, k = 0; t <= toS; t += 5, k++) points.push(at(xM + 8 * Math.sin(k), 8 * Math.cos(1.7 * k), t));
  return points;
};

const record = (participant: string, p: TrackPoint): FedRecord => ({
  topic: TOPICS.gpsClean.name,
  key: participant,
  value: { participant_virtual_id: participant, time: p.timeMs, lat: p.lat, lon: p.lon, hilbert: null },
});

const keyOf = (v: Record<string, unknown>) => `${String(v.participant_virtual_id)}|${String(v.episode_start)}`;

/** What the CLI gives: one row per episode, keyed as the warehouse keys them. */
function batchRows(byParticipant: ReadonlyMap<string, readonly TrackPoint[]>): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const [participant, points] of byParticipant) {
    for (const e of detectStayPoints(points)) {
      const row = toEpisodeRecord(participant, e, null);
      rows.set(keyOf(row), row);
    }
  }
  return rows;
}

/** The final table after feeding the records as `pattern` says (see feedInPattern). */
function feed(records: readonly FedRecord[], pattern: ArrivalPattern, restartAfter: ReadonlySet<number> = new Set(), afterIdle = false) {
  const live = new LiveFeed(() => createStopMoveHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS, transportModel: () => null }));
  feedInPattern(live, records, pattern, restartAfter, afterIdle);
  return { table: live.table(TOPICS.gpsEpisodes.name, keyOf), live };
}

const sortedRows = (rows: Map<string, Record<string, unknown>>) => [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

/** [type, start s, end s, points] of the rows, in time order. */
const brief = (rows: Map<string, Record<string, unknown>>) =>
  sortedRows(rows).map((v) => [v.episode_type, ((v.episode_start as number) - T0) / 1000, ((v.episode_end as number) - T0) / 1000, v.point_count]);

function expectLiveEqualsBatch(points: readonly TrackPoint[], seeds: readonly number[]): void {
  const records = points.map((p) => record(P, p));
  const batch = sortedRows(batchRows(new Map([[P, points]])));
  for (const pattern of ['at-once', 'one-by-one', 'bursts'] as const) {
    expect(sortedRows(feed(records, pattern).table), pattern).toEqual(batch);
    for (const seed of seeds) {
      for (const afterIdle of [false, true]) {
        const restarts = pattern === 'at-once' ? new Set([0]) : seededIndices(seed, records.length, 4);
        const { table, live } = feed(records, pattern, restarts, afterIdle);
        expect(live.restarts).toBe(restarts.size);
        // Row for row, hence no key the batch lacks (a stale provisional row would be one).
        expect(sortedRows(table), `${pattern}, seed ${seed}, after idle ${afterIdle}`).toEqual(batch);
      }
    }
  }
}

describe('stop-move-detection at live rates and across restarts', () => {
  it('keeps a 20-minute stay one stop (230–1570 s) however it is fed and restarted', () => {
    const points = [...drive(-5520, 0, 225), ...stay(0, 230, 1570), ...drive(120, 1575, 1700)];
    // By hand: 46 fixes driving in, the stay's 269 fixes, 26 driving out (each 120 m from the last).
    expect(brief(batchRows(new Map([[P, points]])))).toEqual([
      ['move', 0, 225, 46],
      ['stop', 230, 1570, 269],
      ['move', 1575, 1700, 26],
    ]);
    expectLiveEqualsBatch(points, [1, 2, 3]);
    // The restart of the issue, in the middle of the stay right after an idle flush.
    const records = points.map((p) => record(P, p));
    const middle = records.findIndex((r) => (r.value as { time: number }).time === T0 + 795_000);
    expect(brief(feed(records, 'one-by-one', new Set([middle]), true).table)).toEqual([
      ['move', 0, 225, 46],
      ['stop', 230, 1570, 269],
      ['move', 1575, 1700, 26],
    ]);
  });

  it('gives a stop, a move and a stop as in one batch', () => {
    const points = [...drive(-5520, 0, 225), ...stay(0, 230, 530), ...drive(120, 535, 700), ...stay(4200, 705, 1905), ...drive(4320, 1910, 2100)];
    expect(brief(batchRows(new Map([[P, points]])))).toEqual([
      ['move', 0, 225, 46],
      ['stop', 230, 530, 61],
      ['move', 535, 700, 34],
      ['stop', 705, 1905, 241],
      ['move', 1910, 2100, 39],
    ]);
    expectLiveEqualsBatch(points, [4, 5]);
  });

  it('gives the same rows around gaps in the fixes (10 min without a fix at one place, a move across 10 min underground)', () => {
    const points = [
      ...drive(-1200, 0, 45),
      ...stay(0, 50, 300),
      ...stay(0, 900, 1200), // 600 s without a fix, at the same place: one stop spans the gap
      ...drive(120, 1205, 1300),
      ...drive(8000, 1900, 2000), // 600 s underground, within maxMoveGapS
      ...stay(8000 + 21 * 120 + 120, 2005, 2300),
    ];
    expect(brief(batchRows(new Map([[P, points]])))).toEqual([
      ['move', 0, 45, 10],
      ['stop', 50, 1200, 112],
      ['move', 1205, 2000, 41],
      ['stop', 2005, 2300, 60],
    ]);
    expectLiveEqualsBatch(points, [6, 7]);
  });

  it('gives the same rows when the two sides of a gap are apart (the gap ends the stop)', () => {
    const points = [...drive(-1200, 0, 45), ...stay(0, 50, 300), ...stay(400, 900, 1200), ...drive(520, 1205, 1300)];
    expect(brief(batchRows(new Map([[P, points]])))).toEqual([
      ['move', 0, 45, 10],
      ['stop', 50, 300, 51],
      ['stop', 900, 1200, 61],
      ['move', 1205, 1300, 20],
    ]);
    expectLiveEqualsBatch(points, [8]);
  });

  it('gives the batch rows for a long stop spanning a signal loss, restarted in its middle', () => {
    // 3 h at one place with 40 min without fix in the middle (one stop, flag gap), then a drive.
    const points = [...drive(-5520, 0, 225), ...stay(0, 230, 5600), ...stay(0, 8000, 11_030), ...drive(120, 11_035, 11_200)];
    const rows = batchRows(new Map([[P, points]]));
    expect(brief(rows)).toEqual([
      ['move', 0, 225, 46],
      ['stop', 230, 11_030, 1682], // 1075 + 607 fixes
      ['move', 11_035, 11_200, 34],
    ]);
    expect(sortedRows(rows).map((v) => v.gap)).toEqual([false, true, false]);
    expectLiveEqualsBatch(points, [21]);
    const records = points.map((p) => record(P, p));
    for (const timeS of [3000, 5600, 8000, 9000]) {
      const i = records.findIndex((r) => (r.value as { time: number }).time === T0 + timeS * 1000);
      expect(sortedRows(feed(records, 'one-by-one', new Set([i]), true).table), `restart at ${timeS} s`).toEqual(sortedRows(rows));
    }
  });

  it('rebuilds a stop whose candidate window slid past an absorbed outlier exactly, not from the stop start', () => {
    // Seeking: 60 s (160 m) does not fit with 0 s (0 m) and is absorbed as an outlier when 90 s
    // (50 m) fits; 120 s (140 m) makes the window slide to 30 s; the stop is confirmed at 150 s
    // from 30 s. Replayed from 30 s alone, 60 s would fit and 90 s be the outlier instead.
    const points = [at(0, 0, 0), at(90, 0, 30), at(160, 0, 60), at(50, 0, 90), at(140, 0, 120), at(145, 0, 150), ...stay(110, 180, 600), ...drive(230, 605, 700)];
    const rows = batchRows(new Map([[P, points]]));
    expect(brief(rows)).toEqual([
      ['move', 0, 0, 1],
      ['stop', 30, 600, 90],
      ['move', 605, 700, 20],
    ]);
    // The centroid leaves the outlier at 160 m out: 60 s is not in it.
    const stop = sortedRows(rows)[1]!;
    const withOutlierOut = [at(90, 0, 30), at(50, 0, 90), at(140, 0, 120), at(145, 0, 150), ...stay(110, 180, 600)];
    const meanLon = withOutlierOut.reduce((sum, p) => sum + p.lon, 0) / withOutlierOut.length;
    expect(stop.centroid_lon).toBeCloseTo(meanLon, 12);
    const records = points.map((p) => record(P, p));
    for (let i = 6; i < 40; i += 3) {
      expect(sortedRows(feed(records, 'one-by-one', new Set([i]), true).table), `restart after fix ${i}`).toEqual(sortedRows(rows));
    }
  });

  it('never leaves a key the batch lacks when a stop ends in suspects at an idle flush, then goes on', () => {
    // 1575 s and 1580 s leave the stop (suspects, a possible excursion), the idle flush comes,
    // then 1585 s is back inside: the stop absorbs them and goes on to 1700 s.
    const points = [...drive(-5520, 0, 225), ...stay(0, 230, 1570), at(150, 0, 1575), at(150, 0, 1580), ...stay(0, 1585, 1700)];
    const batch = batchRows(new Map([[P, points]]));
    expect(brief(batch)).toEqual([
      ['move', 0, 225, 46],
      ['stop', 230, 1700, 295],
    ]);
    const records = points.map((p) => record(P, p));
    const { table } = feed(records, 'one-by-one');
    expect([...table.keys()].filter((k) => !batch.has(k))).toEqual([]);
    expect(sortedRows(table)).toEqual(sortedRows(batch));
  });

  it('matches the batch on seeded random trajectories (stays, drives, outliers, gaps) with restarts anywhere', () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const points = randomTrajectory(seed);
      expectLiveEqualsBatch(points, [seed * 7]);
    }
  });

  it('keeps two participants on one partition apart', () => {
    const a = [...drive(-5520, 0, 225), ...stay(0, 230, 900), ...drive(120, 905, 1000)];
    const b = [...stay(3000, 0, 400), ...drive(3120, 405, 600), ...stay(3120 + 40 * 120, 605, 1000)];
    const records: FedRecord[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) records.push(record('a', a[i]!));
      if (b[i]) records.push(record('b', b[i]!));
    }
    const batch = sortedRows(batchRows(new Map([['a', a], ['b', b]])));
    expect(sortedRows(feed(records, 'one-by-one').table)).toEqual(batch);
    expect(sortedRows(feed(records, 'bursts', seededIndices(99, records.length, 5), true).table)).toEqual(batch);
  });
});

/** A seeded mix of stays (with jitter and single outliers), drives, walks and gaps, a fix every 5–15 s. */
function randomTrajectory(seed: number): TrackPoint[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const points: TrackPoint[] = [];
  let t = 0;
  let x = 0;
  let y = 0;
  for (let leg = 0; leg < 8; leg++) {
    const kind = rand();
    const durationS = 60 + Math.floor(rand() * 900);
    const end = t + durationS;
    const speed = kind < 0.45 ? 0 : kind < 0.75 ? 1.4 : 14;
    while (t < end) {
      t += 5 + Math.floor(rand() * 11);
      x += speed * 5 + (rand() - 0.5) * 16;
      y += (rand() - 0.5) * (speed === 0 ? 16 : 4);
      if (speed === 0) {
        x -= (x - Math.round(x / 1000) * 1000) * 0.5; // stays near the same place
      }
      const outlier = rand() < 0.04 ? 180 : 0;
      points.push(at(x + outlier, y, t));
    }
    if (rand() < 0.3) t += 200 + Math.floor(rand() * 800); // a gap without fixes
  }
  return points;
}
