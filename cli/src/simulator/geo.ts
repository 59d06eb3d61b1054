/**
 * Small-distance geometry in WGS84 for the simulator: an equirectangular approximation is
 * plenty at Île-de-France scale (< 0.5 % error over 100 km). Not turf: every seed's output (and
 * the models and figures built on it, gps-csv-bytes.test.ts) depends on these exact values.
 */

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** The rasterisation grid of docs/design.md §5.3: every simulated place lies inside it. */
export const GRID_BOUNDS = Object.freeze({
  lonMin: 1.2138497034700353,
  lonMax: 3.65932622882752,
  latMin: 47.8649697786304,
  latMax: 49.48058557917308,
});

/** Where most of the simulated life happens: Paris and its inner suburbs. */
export const PARIS_BOUNDS = Object.freeze({ lonMin: 2.2, lonMax: 2.5, latMin: 48.75, latMax: 48.95 });

const M_PER_DEG_LAT = 111_320;

export function metresPerDegLon(lat: number): number {
  return M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
}

/** Moves a point by `eastM` and `northM` metres. */
export function offsetM(p: LatLon, eastM: number, northM: number): LatLon {
  return { lat: p.lat + northM / M_PER_DEG_LAT, lon: p.lon + eastM / metresPerDegLon(p.lat) };
}

/** Straight-line distance in metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  const dy = (b.lat - a.lat) * M_PER_DEG_LAT;
  const dx = (b.lon - a.lon) * metresPerDegLon((a.lat + b.lat) / 2);
  return Math.hypot(dx, dy);
}

/** The point a fraction `f` of the way from `a` to `b`. */
export function lerp(a: LatLon, b: LatLon, f: number): LatLon {
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}

/** Keeps a point at least `marginM` metres inside the grid (so noise and outliers stay in). */
export function clampToGrid(p: LatLon, marginM: number): LatLon {
  const dLat = marginM / M_PER_DEG_LAT;
  const dLon = marginM / metresPerDegLon(p.lat);
  return {
    lat: Math.min(GRID_BOUNDS.latMax - dLat, Math.max(GRID_BOUNDS.latMin + dLat, p.lat)),
    lon: Math.min(GRID_BOUNDS.lonMax - dLon, Math.max(GRID_BOUNDS.lonMin + dLon, p.lon)),
  };
}

export function insideGrid(p: LatLon): boolean {
  return p.lat >= GRID_BOUNDS.latMin && p.lat <= GRID_BOUNDS.latMax && p.lon >= GRID_BOUNDS.lonMin && p.lon <= GRID_BOUNDS.lonMax;
}
