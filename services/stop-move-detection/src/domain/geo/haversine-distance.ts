/** Earth radius of the haversine formula (R = 6371 km), as in gps-preprocessing. */
export const EARTH_RADIUS_M = 6_371_000;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres between two WGS84 points (degrees). Kept here as well as in
 * gps-preprocessing because domain packages depend on `@polluscope/common/domain` only.
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

/**
 * Initial bearing from the first point to the second, degrees clockwise from north in [0, 360).
 *
 * @example bearingDeg(48.8, 2.3, 48.9, 2.3) // 0
 */
export function bearingDeg(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lon2 - lon1) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  const deg = Math.atan2(y, x) / RAD;
  return deg < 0 ? deg + 360 : deg;
}
