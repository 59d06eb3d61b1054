import type { TrackPoint } from './track-point.js';

// Test helper (not exported by the package): points in metres east/north of a fixed origin.
const LAT0 = 48.8;
const LON0 = 2.3;
const M_PER_DEG_LAT = (6_371_000 * Math.PI) / 180;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((LAT0 * Math.PI) / 180);

/** A point xM east and yM north of (48.8, 2.3) at tS seconds after the epoch. */
export function pt(xM: number, yM: number, tS: number, hilbert: number | null = null): TrackPoint {
  return { timeMs: tS * 1000, lat: LAT0 + yM / M_PER_DEG_LAT, lon: LON0 + xM / M_PER_DEG_LON, hilbert };
}

/** Back to metres east/north of the origin. */
export function toXY(lat: number, lon: number): [number, number] {
  return [(lon - LON0) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT];
}
