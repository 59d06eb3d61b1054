import { describe, expect, it } from 'vitest';
import type { Episode } from '../episodes/episode.js';
import { defaultStayPointParams, detectStayPoints, initialStayPointState, stepStayPoints, type StayPointState } from './stay-point-detector.js';
import { pt, toXY } from './test-points.js';
import type { TrackPoint } from './track-point.js';

// [type, start s, end s, point count]
const brief = (episodes: readonly Episode[]): Array<[string, number, number, number]> =>
  episodes.map((e) => [e.type, e.startMs / 1000, e.endMs / 1000, e.pointCount]);

// Fixes every 30 s; a stop needs 120 s within a 100 m box.
const stopAround = (x: number, t0: number) => [pt(x, 0, t0), pt(x + 10, 0, t0 + 30), pt(x, 10, t0 + 60), pt(x + 5, 5, t0 + 90), pt(x, 0, t0 + 120)];

describe('detectStayPoints', () => {
  it('finds a stop in the middle, with its statistics', () => {
    const points = [pt(0, 0, 0), pt(300, 0, 30), ...stopAround(600, 60), pt(900, 0, 210), pt(1200, 0, 240)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([
      ['move', 0, 30, 2],
      ['stop', 60, 180, 5],
      ['move', 210, 240, 2],
    ]);
    const [move, stop] = episodes;
    if (move?.type !== 'move' || stop?.type !== 'stop') throw new Error('unexpected episode types');
    expect(move.distanceM).toBeCloseTo(300, 3);
    expect(move.meanSpeedMps).toBeCloseTo(10, 6);
    expect(move.p50SpeedMps).toBeCloseTo(10, 6);
    expect(move.maxSpeedMps).toBeCloseTo(10, 6);
    expect(move.durationS).toBe(30);
    // Centroid of (600,0) (610,0) (600,10) (605,5) (600,0) is (603, 3); farthest points √58 away.
    const [cx, cy] = toXY(stop.centroidLat, stop.centroidLon);
    expect(cx).toBeCloseTo(603, 3);
    expect(cy).toBeCloseTo(3, 3);
    expect(stop.radiusM).toBeCloseTo(Math.sqrt(58), 3);
    expect(stop.durationS).toBe(120);
    expect([stop.firstIndex, stop.lastIndex]).toEqual([2, 6]);
  });

  it('finds a stop at the start', () => {
    const points = [...stopAround(0, 0), pt(300, 0, 150), pt(600, 0, 180)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 180, 2],
    ]);
  });

  it('finds a stop at the end', () => {
    const points = [pt(-600, 0, 0), pt(-300, 0, 30), ...stopAround(0, 60)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['move', 0, 30, 2],
      ['stop', 60, 180, 5],
    ]);
  });

  it('finds two stops and the move between them', () => {
    const points = [...stopAround(0, 0), pt(400, 0, 150), pt(800, 0, 180), ...stopAround(1200, 210)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 180, 2],
      ['stop', 210, 330, 5],
    ]);
  });

  it('finds no stop when the points keep moving', () => {
    const points = [0, 1, 2, 3, 4, 5, 6].map((k) => pt(k * 200, 0, k * 30));
    expect(brief(detectStayPoints(points))).toEqual([['move', 0, 180, 7]]);
  });

  it('finds no stop when the points stay less than the minimum duration', () => {
    const points = [pt(-600, 0, 0), pt(0, 0, 30), pt(5, 0, 60), pt(0, 5, 90), pt(600, 0, 120), pt(1200, 0, 150)];
    expect(brief(detectStayPoints(points))).toEqual([['move', 0, 150, 6]]);
  });

  it('does not split a confirmed stop at one outlier, and leaves it out of the geometry', () => {
    // Rule: one point outside followed by a point inside again is an absorbed outlier.
    const points = [...stopAround(0, 0), pt(500, 0, 150), pt(5, 0, 180), pt(0, 5, 210)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([['stop', 0, 210, 8]]);
    const stop = episodes[0];
    if (stop?.type !== 'stop') throw new Error('expected a stop');
    expect(stop.radiusM).toBeLessThan(10);
  });

  it('splits the stop at the outlier when maxOutlierPoints is 0', () => {
    const points = [...stopAround(0, 0), pt(500, 0, 150), pt(5, 0, 180), pt(0, 5, 210)];
    expect(brief(detectStayPoints(points, { ...defaultStayPointParams, maxOutlierPoints: 0 }))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 210, 3],
    ]);
  });

  it('does not split a stop at an outlier before it is confirmed', () => {
    const points = [pt(0, 0, 0), pt(5, 0, 30), pt(500, 0, 60), pt(0, 5, 90), pt(5, 5, 120), pt(900, 0, 150), pt(1500, 0, 180)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 180, 2],
    ]);
  });

  it('ends a stop when two points in a row are outside', () => {
    const points = [...stopAround(0, 0), pt(500, 0, 150), pt(520, 0, 180), pt(0, 0, 210)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 210, 3],
    ]);
  });

  it('rejects unsorted input', () => {
    expect(() => detectStayPoints([pt(0, 0, 30), pt(0, 0, 0)])).toThrow(RangeError);
    expect(() => detectStayPoints([pt(0, 0, 30), pt(1, 0, 30)])).toThrow(/strictly increasing/);
  });

  it('returns no episode for no points', () => {
    expect(detectStayPoints([])).toEqual([]);
  });

  it('makes a one-point move of a single point', () => {
    expect(detectStayPoints([pt(0, 0, 0)])).toEqual([
      {
        type: 'move',
        startMs: 0,
        endMs: 0,
        pointCount: 1,
        durationS: 0,
        firstIndex: 0,
        lastIndex: 0,
        gap: false,
        leg: 1,
        distanceM: 0,
        meanSpeedMps: null,
        p50SpeedMps: null,
        p95SpeedMps: null,
        maxSpeedMps: null,
      },
    ]);
  });
});

describe('stepStayPoints', () => {
  const points = [pt(0, 0, 0), pt(300, 0, 30), ...stopAround(600, 60), pt(900, 0, 210), pt(1200, 0, 240), ...stopAround(1500, 270)];

  /** Feeds the points in chunks, the watermark at each chunk's last time, then flushes. */
  function streamed(cuts: number[]): { finals: Episode[]; upserts: Map<number, Episode> } {
    let state: StayPointState = initialStayPointState();
    const finals: Episode[] = [];
    const upserts = new Map<number, Episode>();
    const bounds = [0, ...cuts, points.length];
    for (let k = 0; k < bounds.length; k++) {
      const chunk = points.slice(bounds[k], bounds[k + 1] ?? points.length);
      const watermark = k === bounds.length - 1 ? Number.POSITIVE_INFINITY : (chunk.at(-1)?.timeMs ?? 0);
      const r = stepStayPoints(state, chunk, watermark);
      for (const c of r.changes) {
        upserts.set(c.episode.startMs, c.episode);
        if (c.final) finals.push(c.episode);
      }
      state = JSON.parse(JSON.stringify(r.state)) as StayPointState;
    }
    return { finals, upserts };
  }

  const expected = [
    ['move', 0, 30, 2],
    ['stop', 60, 180, 5],
    ['move', 210, 240, 2],
    ['stop', 270, 390, 5],
  ];

  it('gives the same episodes for a stop split across two chunks as in one chunk', () => {
    const one = detectStayPoints(points);
    expect(brief(one)).toEqual(expected);
    const two = streamed([4]); // cut inside the first stop, before it is confirmed
    expect(two.finals).toEqual(one);
    expect([...two.upserts.values()]).toEqual(one);
  });

  it('gives the same episodes point by point', () => {
    const cuts = points.map((_, i) => i).slice(1);
    expect(streamed(cuts).finals).toEqual(detectStayPoints(points));
  });

  it('re-emits a growing stop under the same start and reports what it still holds', () => {
    let r = stepStayPoints(initialStayPointState(), points.slice(0, 7), 180_000);
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([
      ['move', 0, 30_000, true],
      ['stop', 60_000, 180_000, false],
    ]);
    // A confirmed stop is a summary: no point is held (docs/design.md §4, bounded memory).
    expect(r.earliestNeededMs).toBeNull();
    expect(r.state.points).toEqual([]);
    // 210 s is outside: a suspect, so the stop does not change yet; the suspect is held.
    r = stepStayPoints(r.state, points.slice(7, 8), 210_000);
    expect(r.changes).toEqual([]);
    expect(r.earliestNeededMs).toBe(210_000);
    // 240 s is outside too: the stop ends before 210 s, and the open move starts there.
    r = stepStayPoints(r.state, points.slice(8, 9), 240_000);
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([
      ['stop', 60_000, 180_000, true],
      ['move', 210_000, 240_000, false],
    ]);
    expect(r.earliestNeededMs).toBe(210_000);
  });

  it('waits for the watermark and rejects points older than those received', () => {
    const r = stepStayPoints(initialStayPointState(), points.slice(0, 7), 30_000);
    // Only 0 s and 30 s are processed: the open move so far.
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([['move', 0, 30_000, false]]);
    expect(r.earliestNeededMs).toBe(0);
    const late = stepStayPoints(r.state, [pt(0, 0, 100)], 180_000);
    expect(late.rejected).toEqual([pt(0, 0, 100)]);
    expect(late.changes.map((c) => [c.episode.type, c.episode.startMs, c.final])).toEqual([
      ['move', 0, true],
      ['stop', 60_000, false],
    ]);
  });
});

describe('detectStayPoints: gaps, minimum points, jitter and excursions', () => {
  it('ends a stop at a gap longer than maxGapS whose sides are apart, and starts afresh after it', () => {
    const points = [...stopAround(0, 0), ...stopAround(200, 421)]; // 301 s without a fix, 200 m away
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['stop', 421, 541, 5],
    ]);
  });

  it('keeps a stop across a gap of exactly maxGapS', () => {
    const points = [...stopAround(0, 0), ...stopAround(0, 420)];
    expect(brief(detectStayPoints(points))).toEqual([['stop', 0, 540, 10]]);
  });

  it('ends a stop at a gap and starts a move at the first fix after it', () => {
    const points = [...stopAround(0, 0), pt(150, 0, 421), pt(300, 0, 451), pt(600, 0, 481)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 421, 481, 3],
    ]);
  });

  it('makes no stop of two fixes at the same place an hour apart', () => {
    expect(brief(detectStayPoints([pt(0, 0, 0), pt(3, 0, 3600)]))).toEqual([['move', 0, 3600, 2]]);
  });

  it('keeps a move with a 10-minute gap in the middle as one move (a Métro ride underground)', () => {
    const points = [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60), pt(5600, 0, 660), pt(5900, 0, 690), pt(6200, 0, 720)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([['move', 0, 720, 6]]);
    const move = episodes[0];
    if (move?.type !== 'move') throw new Error('expected a move');
    expect(move.distanceM).toBeCloseTo(6200, 0);
    expect(move.durationS).toBe(720);
  });

  it('ends a move at a gap longer than maxMoveGapS (2 h, tablet off) and starts a new move after it', () => {
    const points = [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60), pt(5600, 0, 7260), pt(5900, 0, 7290), pt(6200, 0, 7320)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([
      ['move', 0, 60, 3],
      ['move', 7260, 7320, 3],
    ]);
    expect(episodes.map((e) => [e.firstIndex, e.lastIndex])).toEqual([
      [0, 2],
      [3, 5],
    ]);
    const [first] = episodes;
    if (first?.type !== 'move') throw new Error('expected a move');
    expect(first.distanceM).toBeCloseTo(600, 0);
  });

  it('keeps a move across a gap of exactly maxMoveGapS and ends it one second later', () => {
    const around = (gapS: number) => [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60), pt(5600, 0, 60 + gapS), pt(5900, 0, 90 + gapS)];
    expect(brief(detectStayPoints(around(3600)))).toEqual([['move', 0, 3690, 5]]);
    expect(brief(detectStayPoints(around(3601)))).toEqual([
      ['move', 0, 60, 3],
      ['move', 3661, 3691, 2],
    ]);
  });

  it('honours a custom maxMoveGapS', () => {
    const points = [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60), pt(5600, 0, 660), pt(5900, 0, 690)]; // 600 s gap
    expect(brief(detectStayPoints(points, { ...defaultStayPointParams, maxMoveGapS: 600 }))).toEqual([['move', 0, 690, 5]]);
    expect(brief(detectStayPoints(points, { ...defaultStayPointParams, maxMoveGapS: 599 }))).toEqual([
      ['move', 0, 60, 3],
      ['move', 660, 690, 2],
    ]);
  });

  it('rejects a maxMoveGapS below maxGapS', () => {
    expect(() => detectStayPoints([pt(0, 0, 0)], { ...defaultStayPointParams, maxMoveGapS: 299 })).toThrow(RangeError);
    expect(() => detectStayPoints([pt(0, 0, 0)], { ...defaultStayPointParams, maxMoveGapS: 299 })).toThrow(/maxMoveGapS \(299 s\) must be at least maxGapS \(300 s\)/);
  });

  it('keeps the unconfirmed candidate window before a long gap in the move it ends', () => {
    // The three fixes at x = 600 span 60 s: not a stop yet, so they end the move before the gap.
    const points = [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60), pt(605, 0, 90), pt(600, 5, 120), pt(905, 5, 7320), pt(1200, 0, 7350)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['move', 0, 120, 5],
      ['move', 7320, 7350, 2],
    ]);
  });

  it('applies the stop rules unchanged around a long gap: a stop ends at it, a stop or a move starts after it', () => {
    expect(brief(detectStayPoints([...stopAround(0, 0), ...stopAround(500, 7320)]))).toEqual([
      ['stop', 0, 120, 5],
      ['stop', 7320, 7440, 5],
    ]);
    expect(brief(detectStayPoints([...stopAround(0, 0), pt(300, 0, 7320), pt(600, 0, 7350), pt(900, 0, 7380)]))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 7320, 7380, 3],
    ]);
    // A move, a 2-h gap, then a stop where the move ended: the stop starts at the first fix after the gap.
    expect(brief(detectStayPoints([pt(-600, 0, 0), pt(-300, 0, 30), pt(0, 0, 60), ...stopAround(400, 7260)]))).toEqual([
      ['move', 0, 60, 3],
      ['stop', 7260, 7380, 5],
    ]);
  });

  it('does not let a candidate window span a gap whose sides are apart: a stop after it starts at its first fix', () => {
    // Before the gap the fixes at x = 0 span 60 s; after it, 120 s at x = 150, 150 m away.
    const before = [pt(-600, 0, 0), pt(-300, 0, 30), pt(0, 0, 60), pt(5, 0, 90), pt(0, 5, 120)];
    expect(brief(detectStayPoints([...before, pt(150, 0, 720), pt(155, 5, 750)]))).toEqual([['move', 0, 750, 7]]);
    expect(brief(detectStayPoints([...before, ...stopAround(150, 720)]))).toEqual([
      ['move', 0, 120, 5],
      ['stop', 720, 840, 5],
    ]);
  });

  it('ends a stop at a gap before a pending excursion, which starts the move across the gap', () => {
    const points = [...stopAround(0, 0), pt(150, 0, 150), pt(5150, 0, 750), pt(5450, 0, 780)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 780, 3],
    ]);
  });

  it('needs minPoints points for a stop, whatever its duration', () => {
    const two = [pt(-600, 0, 0), pt(0, 0, 30), pt(5, 0, 180), pt(600, 0, 210), pt(1200, 0, 240)];
    expect(brief(detectStayPoints(two))).toEqual([['move', 0, 240, 5]]);
    expect(brief(detectStayPoints(two, { ...defaultStayPointParams, minPoints: 2 }))).toEqual([
      ['move', 0, 0, 1],
      ['stop', 30, 180, 2],
      ['move', 210, 240, 2],
    ]);
    const three = [pt(-600, 0, 0), pt(0, 0, 30), pt(5, 0, 120), pt(0, 5, 180), pt(600, 0, 210), pt(1200, 0, 240)];
    expect(brief(detectStayPoints(three))).toEqual([
      ['move', 0, 0, 1],
      ['stop', 30, 180, 3],
      ['move', 210, 240, 2],
    ]);
  });

  it('does not count an absorbed outlier towards minPoints', () => {
    const points = [pt(0, 0, 0), pt(500, 0, 60), pt(5, 0, 120), pt(900, 0, 150), pt(1500, 0, 180)];
    expect(brief(detectStayPoints(points))).toEqual([['move', 0, 180, 5]]);
  });

  it('keeps a stop whose jitter spreads wider than the diameter but stays within maxJitterM of its centroid', () => {
    // The four jittery fixes span 160 m × 160 m; each is 78–96 m from the running centroid
    // ((3, 3), then (15.8, 2.5), (2.1, 2.1), (1.9, 11.9)) when it arrives.
    const points = [...stopAround(0, 0), pt(80, 0, 150), pt(-80, 0, 180), pt(0, 80, 210), pt(0, -80, 240)];
    expect(brief(detectStayPoints(points))).toEqual([['stop', 0, 240, 9]]);
  });

  it('absorbs a short excursion within maxExcursionM and leaves it out of the geometry', () => {
    const points = [...stopAround(0, 0), pt(150, 0, 150), pt(160, 0, 180), pt(5, 0, 210), pt(0, 5, 240)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([['stop', 0, 240, 9]]);
    const stop = episodes[0];
    if (stop?.type !== 'stop') throw new Error('expected a stop');
    expect(stop.radiusM).toBeLessThan(10);
  });

  it('ends the stop at an excursion longer than maxExcursionS, where a new stop may start', () => {
    const away = [150, 180, 210, 240, 270, 300].map((t) => pt(150, 0, t));
    const points = [...stopAround(0, 0), ...away, pt(0, 0, 330)];
    // The last fix, 150 m from the second stop, may still be an excursion when the data ends: it
    // is left out (a move starting there would vanish if a later fix came back).
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['stop', 150, 300, 6],
    ]);
    // Back for longer than maxExcursionS (330 to 480 s): a new stop, under a start not emitted before.
    const back = [360, 390, 420, 450, 480].map((t) => pt(0, 0, t));
    expect(brief(detectStayPoints([...points, ...back]))).toEqual([
      ['stop', 0, 120, 5],
      ['stop', 150, 300, 6],
      ['stop', 330, 480, 6],
    ]);
  });

  it('ends the stop when an excursion goes beyond maxExcursionM for more than maxOutlierPoints points', () => {
    const points = [...stopAround(0, 0), pt(150, 0, 150), pt(400, 0, 180), pt(700, 0, 210)];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 210, 3],
    ]);
  });
});

describe('stepStayPoints with gaps, jitter and excursions', () => {
  const points = [
    pt(0, 0, 0),
    pt(300, 0, 30),
    ...stopAround(600, 60),
    pt(750, 0, 210), // excursion, absorbed
    pt(600, 5, 240),
    pt(690, 0, 270), // jitter 87 m from the centroid
    pt(605, 0, 300),
    pt(820, 0, 700), // after a 400 s gap, 215 m away
    pt(810, 0, 730),
    pt(815, 5, 760),
    pt(810, 0, 790),
    pt(820, 5, 820),
    pt(1100, 0, 850),
    pt(1500, 0, 880),
  ];
  const expected = [
    ['move', 0, 30, 2],
    ['stop', 60, 300, 9],
    ['stop', 700, 820, 5],
    ['move', 850, 880, 2],
  ];

  function streamedFinals(track: readonly TrackPoint[], cuts: number[]): Episode[] {
    let state: StayPointState = initialStayPointState();
    const finals: Episode[] = [];
    const bounds = [0, ...cuts, track.length];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const chunk = track.slice(bounds[k], bounds[k + 1]);
      const last = k + 2 === bounds.length;
      const r = stepStayPoints(state, chunk, last ? Number.POSITIVE_INFINITY : (chunk.at(-1)?.timeMs ?? 0));
      for (const c of r.changes) if (c.final) finals.push(c.episode);
      state = JSON.parse(JSON.stringify(r.state)) as StayPointState;
    }
    return finals;
  }

  it('gives the same episodes in one chunk, in two chunks at every cut, and point by point', () => {
    const one = detectStayPoints(points);
    expect(brief(one)).toEqual(expected);
    for (let cut = 1; cut < points.length; cut++) expect(streamedFinals(points, [cut])).toEqual(one);
    expect(streamedFinals(points, points.map((_, i) => i).slice(1))).toEqual(one);
  });

  it('gives the same episodes in one chunk, at every cut and point by point when moves span gaps', () => {
    const gappy = [
      ...stopAround(0, 0),
      pt(150, 0, 150), // excursion pending when the gap comes: the stop ends before it
      pt(5150, 0, 750), // 600 s gap inside the move
      pt(5450, 0, 780),
      ...stopAround(5750, 810),
      pt(6050, 0, 960),
      pt(6350, 0, 990),
      pt(6650, 0, 1020),
      pt(9650, 0, 1620), // 600 s gap inside the move
      pt(9950, 0, 1650),
    ];
    const one = detectStayPoints(gappy);
    expect(brief(one)).toEqual([
      ['stop', 0, 120, 5],
      ['move', 150, 780, 3],
      ['stop', 810, 930, 5],
      ['move', 960, 1650, 5],
    ]);
    for (let cut = 1; cut < gappy.length; cut++) expect(streamedFinals(gappy, [cut])).toEqual(one);
    expect(streamedFinals(gappy, gappy.map((_, i) => i).slice(1))).toEqual(one);
  });

  it('gives the same episodes in one chunk, at every cut and point by point when gaps longer than maxMoveGapS end moves', () => {
    const nights = [
      pt(0, 0, 0),
      pt(300, 0, 30),
      pt(600, 0, 60),
      pt(5600, 0, 660), // 600 s gap: the move spans it
      pt(5900, 0, 690),
      pt(6200, 0, 720), // then 2 h without a fix: the move ends here
      pt(6500, 0, 7920),
      pt(6800, 0, 7950),
      ...stopAround(7100, 7980),
      pt(7400, 0, 8130), // excursion pending when the night comes: the stop ends before it
      pt(7700, 0, 50_000), // 11.6 h gap: the one-fix move ends at 8130
      pt(8000, 0, 50_030),
    ];
    const one = detectStayPoints(nights);
    expect(brief(one)).toEqual([
      ['move', 0, 720, 6],
      ['move', 7920, 7950, 2],
      ['stop', 7980, 8100, 5],
      ['move', 8130, 8130, 1],
      ['move', 50_000, 50_030, 2],
    ]);
    for (let cut = 1; cut < nights.length; cut++) expect(streamedFinals(nights, [cut])).toEqual(one);
    expect(streamedFinals(nights, nights.map((_, i) => i).slice(1))).toEqual(one);
  });

  it('emits the move ended by a long gap as final and releases the points before the gap', () => {
    const before = [pt(0, 0, 0), pt(300, 0, 30), pt(600, 0, 60)];
    // The fix at 60 s is a suspect (a possible outlier) and 30 s starts the candidate window; the
    // open move runs to the last fix processed, as it would end if no fix came.
    let r = stepStayPoints(initialStayPointState(), before, 60_000);
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([['move', 0, 60_000, false]]);
    expect(r.earliestNeededMs).toBe(0);
    // After the 2-h gap the pending suspect is placed and the move ends at 60 s, final; the fixes
    // after the gap are the new move's candidate window and suspect: the new open move so far.
    r = stepStayPoints(r.state, [pt(5600, 0, 7260), pt(5900, 0, 7290)], 7_290_000);
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([
      ['move', 0, 60_000, true],
      ['move', 7_260_000, 7_290_000, false],
    ]);
    expect(r.earliestNeededMs).toBe(7_260_000);
    expect(r.state.points.map((p) => p.timeMs)).toEqual([7_260_000, 7_290_000]);
    r = stepStayPoints(r.state, [pt(6200, 0, 7320)], Number.POSITIVE_INFINITY);
    expect(r.changes.map((c) => [c.episode.type, c.episode.startMs, c.episode.endMs, c.final])).toEqual([['move', 7_260_000, 7_320_000, true]]);
  });
});

describe('detectStayPoints: limits derived from the diameter (docs/design.md §5.4)', () => {
  it('with maxDiameterM 3 and minDurationS 2, ends the stop as soon as the person walks away at 5 m/s', () => {
    const stay = [pt(0, 0, 0), pt(1, 0, 1), pt(0, 1, 2), pt(1, 1, 3)];
    const walk = [1, 2, 3, 4, 5, 6].map((k) => pt(1 + 5 * k, 1, 3 + k));
    const params = { ...defaultStayPointParams, maxDiameterM: 3, minDurationS: 2 };
    // Jitter 3 m and excursion 6 m: the first step (4.5 m from the centroid) is a suspect, the
    // second and third are beyond 6 m, so the stop ends at its last fix inside.
    expect(brief(detectStayPoints([...stay, ...walk], params))).toEqual([
      ['stop', 0, 3, 4],
      ['move', 4, 9, 6],
    ]);
    // The old fixed limits (jitter 100 m, excursion 200 m) kept the walk inside the stop.
    expect(brief(detectStayPoints([...stay, ...walk], { ...params, maxJitterM: 100, maxExcursionM: 200 }))).toEqual([['stop', 0, 9, 10]]);
  });
});

describe('detectStayPoints: signal loss (docs/design.md §5.4)', () => {
  const hours = (h: number) => h * 3600;

  it('makes one stop spanning a night at home without fix, flagged gap', () => {
    const points = [pt(-600, 0, 0), pt(-300, 0, 30), ...stopAround(0, 60), ...stopAround(20, hours(8))];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([
      ['move', 0, 30, 2],
      ['stop', 60, hours(8) + 120, 10],
    ]);
    expect(episodes.map((e) => e.gap)).toEqual([false, true]);
  });

  it('makes one stop spanning the gap when the fix was lost before the stop was confirmed', () => {
    // Two fixes on arrival (60 s), 10 h without fix, then fixes at the same place.
    const points = [pt(-600, 0, 0), pt(-300, 0, 30), pt(0, 0, 60), pt(5, 0, 90), pt(5, 5, 90 + hours(10)), pt(0, 5, 120 + hours(10))];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([
      ['move', 0, 30, 2],
      ['stop', 60, 120 + hours(10), 4],
    ]);
    expect(episodes[1]?.gap).toBe(true);
  });

  it('does not span a gap longer than maxStopGapS (a tablet off for days)', () => {
    const points = [...stopAround(0, 0), ...stopAround(0, hours(13))];
    expect(brief(detectStayPoints(points))).toEqual([
      ['stop', 0, 120, 5],
      ['stop', hours(13), hours(13) + 120, 5],
    ]);
    expect(brief(detectStayPoints(points, { ...defaultStayPointParams, maxStopGapS: hours(14) }))).toEqual([['stop', 0, hours(13) + 120, 10]]);
  });

  it('keeps an underground ride (a gap whose sides are apart) inside a move, never in a stop', () => {
    // Walk to the station, 12 min without fix, come out 5 km away, walk on.
    const points = [...stopAround(0, 0), pt(150, 0, 150), pt(200, 0, 180), pt(5200, 0, 900), pt(5250, 0, 930), pt(5300, 0, 960)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes).filter((e) => e[0] === 'stop')).toEqual([['stop', 0, 120, 5]]);
    const moves = episodes.filter((e) => e.type === 'move');
    expect(moves[0]!.startMs).toBe(150_000);
    expect(moves.at(-1)!.endMs).toBe(960_000);
    expect(moves.some((m) => m.gap && m.startMs <= 180_000 && m.endMs >= 900_000)).toBe(true);
  });

  it('ends the move before a long gap a candidate window spanned, once the window slides past it', () => {
    // A and B lie 50 m apart on both sides of a 2-h gap but make no stop (2 fixes); then the
    // person moves on: the move must not span the 2-h gap.
    const points = [pt(-600, 0, 0), pt(-300, 0, 30), pt(0, 0, 60), pt(50, 0, 60 + hours(2)), pt(350, 0, 90 + hours(2)), pt(650, 0, 120 + hours(2))];
    expect(brief(detectStayPoints(points))).toEqual([
      ['move', 0, 60, 3],
      ['move', 60 + hours(2), 120 + hours(2), 3],
    ]);
  });
});

describe('detectStayPoints: legs (docs/design.md §5.4)', () => {
  /** Fixes every 10 s from (x0, 0) at t0 eastwards at speedMps, n of them after the start. */
  const walk = (x0: number, t0: number, speedMps: number, n: number) => Array.from({ length: n }, (_, k) => pt(x0 + (k + 1) * speedMps * 10, 0, t0 + (k + 1) * 10));

  it('splits a walk–Métro–walk move into three legs, the ride across the gap its own leg', () => {
    // A stay, 300 s walking at 1.4 m/s, 10 min without fix covering 4 km, 300 s walking, a stay.
    const points = [...stopAround(-1000, 0), pt(-200, 0, 300), ...walk(-200, 300, 1.4, 30), ...walk(3800, 1190, 1.4, 31), ...stopAround(4800, 1800)];
    const episodes = detectStayPoints(points);
    expect(brief(episodes)).toEqual([
      ['stop', 0, 120, 5],
      ['move', 300, 600, 31],
      ['move', 600, 1200, 2],
      ['move', 1200, 1500, 31],
      ['stop', 1800, 1920, 5],
    ]);
    expect(episodes.map((e) => (e.type === 'move' ? [e.leg, e.gap] : null))).toEqual([null, [1, false], [2, true], [3, false], null]);
  });
});

describe('stepStayPoints: gaps spent in place, legs and bounded state', () => {
  const hours = (h: number) => h * 3600;
  const walk = (x0: number, t0: number, speedMps: number, n: number) => Array.from({ length: n }, (_, k) => pt(x0 + (k + 1) * speedMps * 10, 0, t0 + (k + 1) * 10));
  const track = [
    ...stopAround(0, 0),
    pt(2, 3, hours(8)), // a night at home
    pt(5, 0, hours(8) + 30),
    pt(200, 0, hours(8) + 200),
    ...walk(200, hours(8) + 200, 1.4, 30),
    ...walk(4620, hours(8) + 1100, 1.4, 30), // after a 10-min ride underground
    pt(50, 50, hours(8) + 1500 + hours(2)), // 2 h later, far: a new move
    ...stopAround(60, hours(8) + 1530 + hours(2)),
  ];

  function streamedFinals(cuts: number[]): Episode[] {
    let state: StayPointState = initialStayPointState();
    const finals: Episode[] = [];
    const bounds = [0, ...cuts, track.length];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const chunk = track.slice(bounds[k], bounds[k + 1]);
      const last = k + 2 === bounds.length;
      const r = stepStayPoints(state, chunk, last ? Number.POSITIVE_INFINITY : (chunk.at(-1)?.timeMs ?? 0));
      for (const c of r.changes) if (c.final) finals.push(c.episode);
      state = JSON.parse(JSON.stringify(r.state)) as StayPointState;
    }
    return finals;
  }

  it('gives the same episodes in one chunk, at every cut and point by point', () => {
    const one = detectStayPoints(track);
    expect(one.map((e) => [e.type, e.gap])).toEqual([
      ['stop', true],
      ['move', false],
      ['move', true],
      ['move', false],
      ['stop', false],
    ]);
    for (let cut = 1; cut < track.length; cut++) expect(streamedFinals([cut])).toEqual(one);
    expect(streamedFinals(track.map((_, i) => i).slice(1))).toEqual(one);
  });

  it('keeps a confirmed stop as a summary of bounded size, however long it lasts', () => {
    let state = initialStayPointState();
    const sizes: number[] = [];
    // 2 days at 0.2 Hz with ±15 m of jitter, fed one fix at a time.
    for (let k = 0; k < 2 * 86_400 / 5; k++) {
      const r = stepStayPoints(state, [pt(15 * Math.sin(k * 1.7), 15 * Math.cos(k * 2.3), k * 5)], k * 5000);
      state = r.state;
      if (k % 5000 === 4999) sizes.push(JSON.stringify(state).length);
    }
    expect(state.mode).toBe('stopped');
    expect(state.points.length).toBeLessThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThan(4000);
    expect(stepStayPoints(state, [], Number.POSITIVE_INFINITY).changes.map((c) => [c.episode.type, c.episode.pointCount])).toEqual([['stop', 2 * 86_400 / 5]]);
  });
});
