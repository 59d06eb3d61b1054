import { haversineDistanceM } from '@polluscope/common/domain';
import type { GpsPoint } from './gps-point.js';

/**
 * Speed from one fix to a later one, m/s (haversine distance over the time between them): the
 * `speed_mps` of a kept fix, from the fix kept before it.
 *
 * @example stepSpeedMps({ timeMs: 0, lat: 48.85, lon: 2.35 }, { timeMs: 1000, lat: 48.85001, lon: 2.35 }) // ≈ 1.112
 */
export function stepSpeedMps(from: GpsPoint, to: GpsPoint): number {
  return haversineDistanceM(from.lat, from.lon, to.lat, to.lon) / ((to.timeMs - from.timeMs) / 1000);
}
