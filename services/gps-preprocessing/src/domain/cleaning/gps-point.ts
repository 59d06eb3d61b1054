/** A GPS fix in the domain: epoch milliseconds (UTC) and WGS84 degrees. */
export interface GpsPoint {
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
}
