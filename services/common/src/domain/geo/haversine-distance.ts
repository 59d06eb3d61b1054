// Hand-written, not @turf/distance: turf's radius is 6371.0088 km and its form atan2(√a, √(1−a));
// even with units 'radians' × 6,371,000 it differs from this asin form in the last bit for 40 % of
// 200,000 point pairs near Paris, and the speed filter must decide as the original (docs/design.md §5.3).

/** Earth radius of the haversine formula, as the original pipeline used it (R = 6371 km). */
export const EARTH_RADIUS_M = 6_371_000;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres between two WGS84 points (degrees), haversine with R = 6371 km.
 * The one copy shared by the GPS cleaner (speed filter) and the stop/move detectors.
 *
 * @example haversineDistanceM(48.8566, 2.3522, 48.8566, 2.3622) // ≈ 731.6
 */
export function haversineDistanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const a = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
