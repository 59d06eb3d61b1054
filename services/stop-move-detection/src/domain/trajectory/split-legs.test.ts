import { describe, expect, it } from 'vitest';
import { splitLegs } from './split-legs.js';
import { pt } from './test-points.js';
import type { TrackPoint } from './track-point.js';

const params = { legSpeedMps: 2.5, minLegDurationS: 120 };
const none = () => false;

/** Points every `stepS` seconds from (x0, 0) at t0, moving east at `speedMps`, `n` steps. */
function run(x0: number, t0: number, speedMps: number, stepS: number, n: number): TrackPoint[] {
  return Array.from({ length: n }, (_, k) => pt(x0 + (k + 1) * speedMps * stepS, 0, t0 + (k + 1) * stepS));
}

describe('splitLegs', () => {
  it('keeps a move of one speed regime as one leg', () => {
    const points = [pt(0, 0, 0), ...run(0, 0, 1.4, 10, 30)];
    expect(splitLegs(points, 0, 30, none, params)).toEqual([[0, 30]]);
  });

  it('splits walk, a ride across a gap, walk into three legs sharing their boundary points', () => {
    // 300 s walking at 1.4 m/s, 600 s without fix covering 4 km (6.7 m/s), 300 s walking.
    const walk1 = [pt(0, 0, 0), ...run(0, 0, 1.4, 10, 30)]; // indices 0..30, x up to 420
    const walk2 = [pt(4420, 0, 900), ...run(4420, 900, 1.4, 10, 30)]; // indices 31..61
    const points = [...walk1, ...walk2];
    expect(splitLegs(points, 0, 61, none, params)).toEqual([
      [0, 30],
      [30, 31],
      [31, 61],
    ]);
  });

  it('does not split at a halt shorter than minLegDurationS (a bus at a light)', () => {
    const bus1 = [pt(0, 0, 0), ...run(0, 0, 8, 10, 30)]; // 300 s at 8 m/s, x up to 2400
    const halt = run(2400, 300, 0, 10, 6); // 60 s standing
    const bus2 = run(2400, 360, 8, 10, 30);
    const points = [...bus1, ...halt, ...bus2];
    expect(splitLegs(points, 0, points.length - 1, none, params)).toEqual([[0, points.length - 1]]);
  });

  it('joins the shortest short run first, and a short run at an end to its neighbour', () => {
    // 30 s fast at the start, then 300 s slow: one leg.
    const points = [pt(0, 0, 0), ...run(0, 0, 8, 10, 3), ...run(24, 30, 1, 10, 30)];
    expect(splitLegs(points, 0, points.length - 1, none, params)).toEqual([[0, points.length - 1]]);
  });

  it('skips outliers when computing speeds', () => {
    const points = [pt(0, 0, 0), pt(10, 0, 10), pt(5000, 0, 20), pt(20, 0, 30), pt(30, 0, 40)];
    expect(splitLegs(points, 0, 4, (k) => k === 2, params)).toEqual([[0, 4]]);
  });
});
