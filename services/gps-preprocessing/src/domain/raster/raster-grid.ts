/** A regular lon/lat grid; cells are `(max − min) / cells` degrees wide. */
export interface RasterGridParams {
  readonly lonMin: number;
  readonly lonMax: number;
  readonly latMin: number;
  readonly latMax: number;
  /** Cells along each axis. */
  readonly cells: number;
}

/**
 * The original pipeline's grid (docs/design.md §5.3.2): the Lambert II étendu box
 * 516000…695950 × 2319000…2498950 m reprojected to WGS84, 3600 × 3600 cells of about 50 m.
 */
export const defaultRasterGridParams: RasterGridParams = Object.freeze({
  lonMin: 1.2138497034700353,
  lonMax: 3.65932622882752,
  latMin: 47.8649697786304,
  latMax: 49.48058557917308,
  cells: 3600,
});

/**
 * Column of a longitude, or -1 outside the grid (NaN included). Same float operations as the
 * original: floor((lon − lonMin) / ((lonMax − lonMin) / cells)).
 *
 * @example rasterColumn(2.04901166666667) // 1229
 */
export function rasterColumn(lon: number, grid: RasterGridParams = defaultRasterGridParams): number {
  const col = Math.floor((lon - grid.lonMin) / ((grid.lonMax - grid.lonMin) / grid.cells));
  // Column 0 is inside: the original's `> 0` test was a bug (docs/design.md §5.3.2).
  return col >= 0 && col < grid.cells ? col : -1;
}

/**
 * Row of a latitude, or -1 outside the grid (NaN included).
 *
 * @example rasterRow(48.7629166666667) // 2000
 */
export function rasterRow(lat: number, grid: RasterGridParams = defaultRasterGridParams): number {
  const row = Math.floor((lat - grid.latMin) / ((grid.latMax - grid.latMin) / grid.cells));
  return row >= 0 && row < grid.cells ? row : -1;
}
