import { hilbertIndex, defaultHilbertParams, type HilbertParams } from './hilbert.js';
import { defaultRasterGridParams, rasterColumn, rasterRow, type RasterGridParams } from './raster-grid.js';

export interface RasterisePointsParams {
  readonly grid: RasterGridParams;
  readonly hilbert: HilbertParams;
}

export const defaultRasterisePointsParams: RasterisePointsParams = Object.freeze({
  grid: defaultRasterGridParams,
  hilbert: defaultHilbertParams,
});

/** Columnar raster output; -1 marks a point outside the grid (null in records). */
export interface RasterColumns {
  readonly col: Int32Array;
  readonly row: Int32Array;
  readonly hilbert: Int32Array;
}

/**
 * Rasterises many points at once into typed arrays (no per-point allocation): col, row and
 * Hilbert index, all -1 when the point is outside the grid.
 *
 * @example rasterisePoints(Float64Array.of(48.7629166666667), Float64Array.of(2.04901166666667)).hilbert[0] // 3121649
 */
export function rasterisePoints(
  lats: ArrayLike<number>,
  lons: ArrayLike<number>,
  params: RasterisePointsParams = defaultRasterisePointsParams,
  out?: RasterColumns,
): RasterColumns {
  const n = lats.length;
  const result = out ?? { col: new Int32Array(n), row: new Int32Array(n), hilbert: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const col = rasterColumn(lons[i]!, params.grid);
    const row = rasterRow(lats[i]!, params.grid);
    if (col < 0 || row < 0) {
      result.col[i] = -1;
      result.row[i] = -1;
      result.hilbert[i] = -1;
    } else {
      result.col[i] = col;
      result.row[i] = row;
      result.hilbert[i] = hilbertIndex(col, row, params.hilbert);
    }
  }
  return result;
}

/** The raster cell of one point, or null outside the grid. */
export interface RasterCell {
  readonly col: number;
  readonly row: number;
  readonly hilbert: number;
}

/**
 * Raster cell of one point (convenient per-record form of `rasterisePoints`).
 *
 * @example rasterCell(48.8023231, 2.1316921) // { col: 1351, row: 2088, hilbert: 8068821 }
 */
export function rasterCell(
  lat: number,
  lon: number,
  params: RasterisePointsParams = defaultRasterisePointsParams,
): RasterCell | null {
  const col = rasterColumn(lon, params.grid);
  const row = rasterRow(lat, params.grid);
  if (col < 0 || row < 0) return null;
  return { col, row, hilbert: hilbertIndex(col, row, params.hilbert) };
}
