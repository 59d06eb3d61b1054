import { haversineDistanceM } from '@polluscope/common/domain';
import type { GpsPoint } from './gps-point.js';

export interface CleanGpsParams {
  /** A point faster than this from the previous kept point is dropped (km/h). */
  readonly maxSpeedKmh: number;
}

/** The original's threshold (docs/design.md §5.3.1). */
export const defaultCleanGpsParams: CleanGpsParams = Object.freeze({ maxSpeedKmh: 130 });

/**
 * Why a point was dropped. `late`: older than the last kept point of a previous chunk (the service
 * never feeds one: it dead-letters such a fix before cleaning).
 */
export const GPS_DROP_REASONS = Object.freeze(['duplicate', 'same-time', 'too-fast', 'late'] as const);
export type GpsDropReason = (typeof GPS_DROP_REASONS)[number];

/** What the cleaner carries from one chunk to the next: a plain, serialisable object. */
export interface CleanGpsState {
  readonly lastKept: GpsPoint | null;
}

export interface CleanGpsResult<T extends GpsPoint> {
  /** Kept points in time order (the input objects themselves, not copies). */
  readonly kept: T[];
  readonly dropped: Array<{ readonly point: T; readonly reason: GpsDropReason }>;
  readonly state: CleanGpsState;
}

export const initialCleanGpsState: CleanGpsState = Object.freeze({ lastKept: null });

function sortedByTime<T extends GpsPoint>(points: readonly T[]): readonly T[] {
  for (let i = 1; i < points.length; i++) {
    // Only copy when needed: a window of a sorted stream is already in order.
    if (points[i]!.timeMs < points[i - 1]!.timeMs) return [...points].sort((a, b) => a.timeMs - b.timeMs);
  }
  return points;
}

/**
 * One step of the streaming cleaner (docs/design.md §5.3.1): orders the chunk by time, then keeps a
 * point only when it is later than the last kept point and reached from it at no more than
 * `maxSpeedKmh` (haversine). Equal times are dropped (`duplicate` when lat/lon are equal too).
 * Feeding a time-ordered stream in 1 or 500 chunks gives the same output, because the only
 * memory is `state.lastKept`.
 *
 * @example cleanGpsChunk(initialCleanGpsState, points).kept
 */
export function cleanGpsChunk<T extends GpsPoint>(
  state: CleanGpsState,
  chunk: readonly T[],
  params: CleanGpsParams = defaultCleanGpsParams,
): CleanGpsResult<T> {
  const ordered = sortedByTime(chunk);
  const kept: T[] = [];
  const dropped: Array<{ point: T; reason: GpsDropReason }> = [];
  let last = state.lastKept;
  for (const point of ordered) {
    if (last !== null) {
      const dtMs = point.timeMs - last.timeMs;
      if (dtMs < 0) {
        dropped.push({ point, reason: 'late' });
        continue;
      }
      if (dtMs === 0) {
        const same = point.lat === last.lat && point.lon === last.lon;
        dropped.push({ point, reason: same ? 'duplicate' : 'same-time' });
        continue;
      }
      const distanceM = haversineDistanceM(last.lat, last.lon, point.lat, point.lon);
      // km/h = m / ms * 3600; compared without dividing.
      if (distanceM * 3600 > params.maxSpeedKmh * dtMs) {
        dropped.push({ point, reason: 'too-fast' });
        continue;
      }
    }
    kept.push(point);
    last = point;
  }
  const lastKept = last === null ? null : { timeMs: last.timeMs, lat: last.lat, lon: last.lon };
  return { kept, dropped, state: { lastKept } };
}

/**
 * Cleans a whole trajectory of one participant (any order): the streaming cleaner in one chunk.
 *
 * @example cleanGpsPoints(points).kept.length
 */
export function cleanGpsPoints<T extends GpsPoint>(
  points: readonly T[],
  params: CleanGpsParams = defaultCleanGpsParams,
): CleanGpsResult<T> {
  return cleanGpsChunk(initialCleanGpsState, points, params);
}
