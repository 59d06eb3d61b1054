/** A cleaned GPS point as `gps.clean` carries it: epoch ms (UTC), WGS84 degrees, Hilbert cell. */
export interface TrackPoint {
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
  /** Hilbert index of the point's raster cell; null or absent outside the grid. */
  readonly hilbert?: number | null;
}

/** Throws unless times strictly increase: detectors take cleaned, ordered points only. */
export function assertStrictlyIncreasing(points: readonly TrackPoint[]): void {
  for (let i = 1; i < points.length; i++) {
    if (!(points[i]!.timeMs > points[i - 1]!.timeMs)) {
      throw new RangeError(
        `points must be sorted by strictly increasing timeMs (index ${i}: ${points[i]!.timeMs} after ${points[i - 1]!.timeMs}); clean them first`,
      );
    }
  }
}
