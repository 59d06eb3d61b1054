import { buildEpisode } from '../episodes/build-episode.js';
import type { Episode } from '../episodes/episode.js';
import { assertStrictlyIncreasing, type TrackPoint } from './track-point.js';

export interface HilbertDensityParams {
  /** A Hilbert cell with at least this many points in a day is dense. */
  readonly minPointsPerCell: number;
  /** Dense cells whose indices share floor(d / blockCells) share a stop (64 = an 8×8 block). */
  readonly blockCells: number;
  /** Runs shorter than this are merged into their neighbours, seconds. */
  readonly minRunS: number;
  /** Length of the day the densities are counted over, and its offset from UTC midnight, ms. */
  readonly dayMs: number;
  readonly dayOffsetMs: number;
}

export const defaultHilbertDensityParams: HilbertDensityParams = Object.freeze({
  minPointsPerCell: 100,
  blockCells: 64,
  minRunS: 120,
  dayMs: 86_400_000,
  dayOffsetMs: 0,
});

interface Run {
  first: number;
  last: number;
  /** Block id of a stop, -1 for a move. */
  label: number;
}

/**
 * The original pipeline's Hilbert-density stop detector, fixed (docs/design.md §5.4): per day (UTC by
 * default), points in cells with ≥ minPointsPerCell points are stop points, labelled with their
 * 8×8 block; runs of equal labels shorter than minRunS (from their first point to the next run's
 * first point) are merged, shortest first, into the neighbour with the same label or else the
 * longer one. Each remaining run is an episode; points without a Hilbert cell are move points.
 * Input sorted by strictly increasing time (else RangeError).
 *
 * @example detectHilbertDensityStops(points).filter((e) => e.type === 'stop')
 */
export function detectHilbertDensityStops(
  points: readonly TrackPoint[],
  params: HilbertDensityParams = defaultHilbertDensityParams,
): Episode[] {
  assertStrictlyIncreasing(points);
  const episodes: Episode[] = [];
  let dayStart = 0;
  while (dayStart < points.length) {
    const day = Math.floor((points[dayStart]!.timeMs - params.dayOffsetMs) / params.dayMs);
    let dayEnd = dayStart;
    while (dayEnd + 1 < points.length && Math.floor((points[dayEnd + 1]!.timeMs - params.dayOffsetMs) / params.dayMs) === day) dayEnd++;
    for (const run of mergeShortRuns(labelRuns(points, dayStart, dayEnd, params), points, params.minRunS * 1000)) {
      episodes.push(buildEpisode(run.label >= 0 ? 'stop' : 'move', points, run.first, run.last));
    }
    dayStart = dayEnd + 1;
  }
  return episodes;
}

function labelRuns(points: readonly TrackPoint[], first: number, last: number, params: HilbertDensityParams): Run[] {
  const counts = new Map<number, number>();
  for (let i = first; i <= last; i++) {
    const h = points[i]!.hilbert;
    if (h !== null && h !== undefined) counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  const runs: Run[] = [];
  for (let i = first; i <= last; i++) {
    const h = points[i]!.hilbert;
    const dense = h !== null && h !== undefined && (counts.get(h) ?? 0) >= params.minPointsPerCell;
    const label = dense ? Math.floor(h / params.blockCells) : -1;
    const prev = runs.at(-1);
    if (prev && prev.label === label) prev.last = i;
    else runs.push({ first: i, last: i, label });
  }
  return runs;
}

function mergeShortRuns(runs: Run[], points: readonly TrackPoint[], minRunMs: number): Run[] {
  const span = (k: number): number => {
    const run = runs[k]!;
    const next = runs[k + 1];
    return (next ? points[next.first]! : points[run.last]!).timeMs - points[run.first]!.timeMs;
  };
  for (;;) {
    if (runs.length < 2) return runs;
    let shortest = -1;
    let shortestMs = minRunMs;
    for (let k = 0; k < runs.length; k++) {
      const ms = span(k);
      if (ms < shortestMs) {
        shortest = k;
        shortestMs = ms;
      }
    }
    if (shortest < 0) return runs;
    const run = runs[shortest]!;
    const before = runs[shortest - 1];
    const after = runs[shortest + 1];
    if (before && after && before.label === after.label) {
      before.last = after.last;
      runs.splice(shortest, 2);
    } else if (before && (!after || span(shortest - 1) >= span(shortest + 1))) {
      before.last = run.last;
      runs.splice(shortest, 1);
    } else if (after) {
      after.first = run.first;
      runs.splice(shortest, 1);
    }
  }
}
