/**
 * The map's geometry without a projection library: Web Mercator "world pixels" at zoom 0
 * (0..256 across the world, y down), which keeps grid lines straight and lets tiles, when a tile
 * server is set, sit on the same coordinates.
 */
import type { StudyGrid } from '../day/types.js';

export const WORLD_PX = 256;

export function mercatorX(lon: number): number {
  return ((lon + 180) / 360) * WORLD_PX;
}

export function mercatorY(lat: number): number {
  const phi = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * WORLD_PX;
}

export interface MapFrame {
  /** Mercator x from west to east. */
  readonly xDomain: readonly [number, number];
  /** Mercator y from north (small) to south. */
  readonly yDomain: readonly [number, number];
  /** Plot area height in pixels for `plotWidth` pixels of width: one scale on both axes. */
  readonly plotHeight: number;
}

/**
 * The smallest frame holding the points with a margin, widened on one axis so that both axes have
 * the same pixels per unit and the plot area is between `minAspect` and `maxAspect` (height / width).
 */
export function mapFrame(points: readonly { lat: number; lon: number }[], plotWidth: number, minAspect = 0.45, maxAspect = 0.8, padding = 0.08): MapFrame {
  const xs = points.map((p) => mercatorX(p.lon));
  const ys = points.map((p) => mercatorY(p.lat));
  let [x0, x1] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [mercatorX(2.2), mercatorX(2.5)];
  let [y0, y1] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [mercatorY(48.95), mercatorY(48.75)];
  // At least ~200 m across, so a single stop does not fill the map.
  const minSpan = mercatorX(0.003) - mercatorX(0);
  const grow = (a: number, b: number, span: number): [number, number] => {
    const mid = (a + b) / 2;
    return [mid - span / 2, mid + span / 2];
  };
  const xSpan = Math.max(x1 - x0, minSpan) * (1 + 2 * padding);
  const ySpan = Math.max(y1 - y0, minSpan) * (1 + 2 * padding);
  const aspect = Math.min(maxAspect, Math.max(minAspect, ySpan / xSpan));
  // Widen whichever axis is short for that aspect.
  const width = Math.max(xSpan, ySpan / aspect);
  const height = width * aspect;
  [x0, x1] = grow(x0, x1, width);
  [y0, y1] = grow(y0, y1, height);
  return { xDomain: [x0, x1], yDomain: [y0, y1], plotHeight: Math.round(plotWidth * aspect) };
}

export interface GridLines {
  /** Mercator x of the grid's column boundaries inside the frame. */
  readonly xs: number[];
  readonly ys: number[];
  /** Grid cells between two drawn lines. */
  readonly everyCells: number;
  /** Approximate distance between two drawn lines, metres. */
  readonly spacingM: number;
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * The study grid's cell boundaries that fall in the frame, thinned to every 1, 2, 5, 10, … cells
 * so that no more than `maxLines` lines cross the map each way.
 */
export function gridLines(grid: StudyGrid, frame: MapFrame, maxLines = 14): GridLines {
  const cellLon = (grid.lonMax - grid.lonMin) / grid.cells;
  const cellLat = (grid.latMax - grid.latMin) / grid.cells;
  const lonAt = (x: number) => (x / WORLD_PX) * 360 - 180;
  const latAt = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / WORLD_PX))) * 180) / Math.PI;
  const [west, east] = [lonAt(frame.xDomain[0]), lonAt(frame.xDomain[1])];
  const [north, south] = [latAt(frame.yDomain[0]), latAt(frame.yDomain[1])];
  const everyCells = STEPS.find((step) => (east - west) / (cellLon * step) <= maxLines && (north - south) / (cellLat * step) <= maxLines) ?? STEPS[STEPS.length - 1]!;
  const boundaries = (lo: number, hi: number, min: number, size: number, cells: number) => {
    const out: number[] = [];
    const first = Math.max(0, Math.ceil((lo - min) / (size * everyCells)) * everyCells);
    for (let cell = first; cell <= cells && min + cell * size <= hi; cell += everyCells) out.push(min + cell * size);
    return out;
  };
  const xs = boundaries(west, east, grid.lonMin, cellLon, grid.cells).map(mercatorX);
  const ys = boundaries(south, north, grid.latMin, cellLat, grid.cells).map(mercatorY);
  const midLat = ((north + south) / 2) * (Math.PI / 180);
  const spacingM = Math.round(cellLon * everyCells * 111_320 * Math.cos(midLat));
  return { xs, ys, everyCells, spacingM };
}
