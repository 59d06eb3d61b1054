import { haversineDistanceM } from '@polluscope/common/domain';
import type { TrackPoint } from './track-point.js';

/** Parameters of {@link splitLegs}; the stay-point parameters carry them. */
export interface LegParams {
  /** A step (between consecutive points, outliers skipped) at least this fast is "fast", m/s. */
  readonly legSpeedMps: number;
  /** A run of steps of one regime shorter than this joins its neighbours, seconds. */
  readonly minLegDurationS: number;
}

interface Run {
  from: number;
  to: number;
  fast: boolean;
  durationMs: number;
}

/**
 * Legs of the move `points[first..last]` (docs/design.md §5.4, trackintel's triplegs), as
 * [first, last] index pairs in time order. Each step between consecutive non-outlier points is
 * slow (speed < legSpeedMps: on foot or waiting) or fast (a vehicle; a step across a gap has the
 * speed of the ride it hides). Runs of one regime shorter than minLegDurationS join their
 * neighbours, shortest first (the earliest on ties), until every run lasts long enough or one run
 * is left: a bus halting at a light stays one leg, a walk to the station does not. Consecutive
 * legs share their boundary point, so the time between them (an underground ride's gap) belongs
 * to a leg.
 *
 * @example splitLegs(points, 0, points.length - 1, () => false, defaultStayPointParams) // [[0, 4], [4, 5], [5, 9]]
 */
export function splitLegs(
  points: readonly TrackPoint[],
  first: number,
  last: number,
  isOutlier: (k: number) => boolean,
  params: LegParams,
): Array<[number, number]> {
  const runs: Run[] = [];
  let prev = -1;
  for (let k = first; k <= last; k++) {
    if (isOutlier(k)) continue;
    if (prev >= 0) {
      const a = points[prev]!;
      const b = points[k]!;
      const durationMs = b.timeMs - a.timeMs;
      const fast = haversineDistanceM(a.lat, a.lon, b.lat, b.lon) / (durationMs / 1000) >= params.legSpeedMps;
      const run = runs[runs.length - 1];
      if (run !== undefined && run.fast === fast) {
        run.to = k;
        run.durationMs += durationMs;
      } else runs.push({ from: prev, to: k, fast, durationMs });
    }
    prev = k;
  }
  const minMs = params.minLegDurationS * 1000;
  while (runs.length > 1) {
    let shortest = -1;
    for (let r = 0; r < runs.length; r++) {
      if (runs[r]!.durationMs < minMs && (shortest < 0 || runs[r]!.durationMs < runs[shortest]!.durationMs)) shortest = r;
    }
    if (shortest < 0) break;
    // Neighbours have the other regime: the short run takes it and merges with them.
    const lo = Math.max(0, shortest - 1);
    const hi = Math.min(runs.length - 1, shortest + 1);
    const merged: Run = { from: runs[lo]!.from, to: runs[hi]!.to, fast: !runs[shortest]!.fast, durationMs: 0 };
    for (let r = lo; r <= hi; r++) merged.durationMs += runs[r]!.durationMs;
    runs.splice(lo, hi - lo + 1, merged);
  }
  if (runs.length <= 1) return [[first, last]];
  const legs = runs.map((r): [number, number] => [r.from, r.to]);
  legs[0]![0] = first;
  legs[legs.length - 1]![1] = last;
  return legs;
}
