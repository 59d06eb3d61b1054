import { haversineDistanceM } from '@polluscope/common/domain';
import type { TrackPoint } from '../trajectory/track-point.js';
import type { StopEpisode } from './episode.js';

/**
 * What a confirmed stop keeps of its points: size independent of the stop's length (docs/design.md §4,
 * "a stop that lasts for days is summarised"). A plain JSON-serialisable object.
 * The extremes are a fixed number of points and the cells are bounded by the stop's extent (a
 * stop spans a few raster cells), not by its duration.
 */
export interface StopSummary {
  readonly startMs: number;
  endMs: number;
  readonly firstIndex: number;
  lastIndex: number;
  /** Points of the stop, absorbed outliers included. */
  pointCount: number;
  /** Centroid as sums of offsets from the first point, degrees, over `n` points (outliers excluded). */
  readonly lat0: number;
  readonly lon0: number;
  sumDLat: number;
  sumDLon: number;
  n: number;
  /** Per direction (every 10°), the stop's farthest point along it, [lon, lat] (outliers excluded). */
  extremes: Array<[number, number] | null>;
  /** Points per Hilbert cell (outliers excluded). */
  cells: Record<string, number>;
  /** True when the stop spans a time without fix longer than maxGapS. */
  gap: boolean;
}

/**
 * A summary of the stop made of `points[first..last]` (indices local; `indexBase` makes them
 * absolute). `isOutlier(k)` points count in pointCount only. `maxGapMs`: a longer step sets `gap`.
 *
 * @example summariseStop(points, 0, points.length - 1, () => false, 0, 300_000).pointCount
 */
export function summariseStop(
  points: readonly TrackPoint[],
  first: number,
  last: number,
  isOutlier: (k: number) => boolean,
  indexBase: number,
  maxGapMs: number,
): StopSummary {
  const p0 = points[first]!;
  const summary: StopSummary = {
    startMs: p0.timeMs,
    endMs: p0.timeMs,
    firstIndex: first + indexBase,
    lastIndex: first + indexBase,
    pointCount: 0,
    lat0: p0.lat,
    lon0: p0.lon,
    sumDLat: 0,
    sumDLon: 0,
    n: 0,
    extremes: new Array<[number, number] | null>(EXTREME_DIRECTIONS).fill(null),
    cells: {},
    gap: false,
  };
  for (let k = first; k <= last; k++) {
    if (k > first && points[k]!.timeMs - points[k - 1]!.timeMs > maxGapMs) summary.gap = true;
    if (isOutlier(k)) {
      summary.pointCount++;
      summary.endMs = points[k]!.timeMs;
      summary.lastIndex = k + indexBase;
    } else addStopPoint(summary, points[k]!, k + indexBase);
  }
  return summary;
}

/** Adds a point inside the stop (mutates `summary`). */
export function addStopPoint(summary: StopSummary, p: TrackPoint, index: number): void {
  summary.pointCount++;
  summary.endMs = p.timeMs;
  summary.lastIndex = index;
  summary.sumDLat += p.lat - summary.lat0;
  summary.sumDLon += p.lon - summary.lon0;
  summary.n++;
  if (p.hilbert !== null && p.hilbert !== undefined) summary.cells[p.hilbert] = (summary.cells[p.hilbert] ?? 0) + 1;
  extendExtremes(summary.extremes, [p.lon, p.lat], summary.lat0, summary.lon0);
}

/** A deep copy, so a step never mutates the state it was given. */
export function copyStopSummary(s: StopSummary): StopSummary {
  return { ...s, extremes: s.extremes.map((e) => (e === null ? null : [e[0], e[1]])), cells: { ...s.cells } };
}

/** The mean of the stop's points from running sums (the stream does not hold the points turf's centroid would need). */
export function stopCentroid(s: StopSummary): { lat: number; lon: number } {
  return { lat: s.lat0 + s.sumDLat / s.n, lon: s.lon0 + s.sumDLon / s.n };
}

/**
 * The stop episode of a summary (docs/design.md §5.4): centroid, radius (largest haversine distance
 * from the centroid to a kept extreme point: at least 99.6 % of the largest distance to any
 * point of the stop, and equal to it on small stops), most frequent Hilbert cell (smallest on ties).
 */
export function stopEpisodeFromSummary(s: StopSummary): StopEpisode {
  const c = stopCentroid(s);
  let radiusM = 0;
  for (const e of s.extremes) if (e !== null) radiusM = Math.max(radiusM, haversineDistanceM(c.lat, c.lon, e[1], e[0]));
  let hilbert: number | null = null;
  let best = 0;
  for (const [key, count] of Object.entries(s.cells)) {
    const cell = Number(key);
    if (count > best || (count === best && hilbert !== null && cell < hilbert)) {
      hilbert = cell;
      best = count;
    }
  }
  return {
    type: 'stop',
    startMs: s.startMs,
    endMs: s.endMs,
    pointCount: s.pointCount,
    durationS: (s.endMs - s.startMs) / 1000,
    firstIndex: s.firstIndex,
    lastIndex: s.lastIndex,
    gap: s.gap,
    centroidLat: c.lat,
    centroidLon: c.lon,
    radiusM,
    hilbert,
  };
}

/** Directions in which a summary keeps the farthest point: every 10°. */
export const EXTREME_DIRECTIONS = 36;
const COS = Array.from({ length: EXTREME_DIRECTIONS }, (_, k) => Math.cos((2 * Math.PI * k) / EXTREME_DIRECTIONS));
const SIN = Array.from({ length: EXTREME_DIRECTIONS }, (_, k) => Math.sin((2 * Math.PI * k) / EXTREME_DIRECTIONS));

/**
 * Keeps, per direction θk = k·10°, the point farthest along it (`extremes[k]`, [lon, lat]), in a
 * local frame where a degree of longitude is cos(lat0) of a degree of latitude. The farthest point
 * from any centre lies within 5° of one of these directions, so the largest distance to them is
 * at least cos 5° (99.6 %) of the largest distance to all points: O(1) state instead of the
 * convex hull, whose size grows with the number of points. Mutates `extremes`.
 */
export function extendExtremes(extremes: Array<[number, number] | null>, p: readonly [number, number], lat0: number, lon0: number): void {
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const x = (p[0] - lon0) * kx;
  const y = p[1] - lat0;
  for (let k = 0; k < EXTREME_DIRECTIONS; k++) {
    const e = extremes[k];
    if (e === null || e === undefined) {
      extremes[k] = [p[0], p[1]];
      continue;
    }
    if (x * COS[k]! + y * SIN[k]! > (e[0] - lon0) * kx * COS[k]! + (e[1] - lat0) * SIN[k]!) extremes[k] = [p[0], p[1]];
  }
}
