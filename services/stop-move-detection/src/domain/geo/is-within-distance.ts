import { EARTH_RADIUS_M, haversineDistanceM } from '@polluscope/common/domain';

const RAD = Math.PI / 180;
// Below |lat| = 80° and for |Δlon| < 1°, the planar estimate differs from the haversine by far
// less than 1 % at distances near the limit (metres to kilometres), so the ±1 % band is safe.
const MAX_SHORTCUT_LAT_DEG = 80;
const MAX_SHORTCUT_DLON_DEG = 1;
const INSIDE = 0.99 * 0.99;
const OUTSIDE = 1.01 * 1.01;

/**
 * Whether `haversineDistanceM(lat1, lon1, lat2, lon2) <= maxM`, decided first by an
 * equirectangular estimate (cosine of the mean latitude) and by the haversine only when the
 * estimate is within ±1 % of `maxM` (or near a pole, or for |Δlon| ≥ 1°). The answer is always
 * the haversine's; the shortcut only saves its trigonometry in clear cases.
 *
 * @example isWithinDistanceM(48.8, 2.3, 48.8, 2.301, 100) // true (73 m)
 */
export function isWithinDistanceM(lat1: number, lon1: number, lat2: number, lon2: number, maxM: number): boolean {
  const dLonDeg = lon2 - lon1;
  if (Math.abs(lat1) < MAX_SHORTCUT_LAT_DEG && Math.abs(lat2) < MAX_SHORTCUT_LAT_DEG && Math.abs(dLonDeg) < MAX_SHORTCUT_DLON_DEG) {
    const y = (lat2 - lat1) * RAD * EARTH_RADIUS_M;
    const x = dLonDeg * RAD * EARTH_RADIUS_M * Math.cos((lat1 + lat2) * 0.5 * RAD);
    const d2 = x * x + y * y;
    const max2 = maxM * maxM;
    if (d2 <= INSIDE * max2) return true;
    if (d2 >= OUTSIDE * max2) return false;
  }
  return haversineDistanceM(lat1, lon1, lat2, lon2) <= maxM;
}
