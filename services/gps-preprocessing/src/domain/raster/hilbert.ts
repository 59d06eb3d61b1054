export interface HilbertParams {
  /** Side of the square curve in cells, a power of two. */
  readonly sideCells: number;
}

/** Order 12: the smallest power of two covering the 3600-cell grid. */
export const defaultHilbertParams: HilbertParams = Object.freeze({ sideCells: 4096 });

/**
 * Distance along the classic 2-D Hilbert curve (xy2d) of cell (x, y); x, y in [0, sideCells).
 * Integer arithmetic only; results up to sideCells² − 1 (16 777 215 for 4096).
 *
 * @example hilbertIndex(1229, 2000) // 3121649
 */
export function hilbertIndex(x: number, y: number, params: HilbertParams = defaultHilbertParams): number {
  const n = params.sideCells;
  let d = 0;
  for (let s = n >>> 1; s > 0; s >>>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so that the sub-curve has the canonical orientation.
    if (ry === 0) {
      if (rx === 1) {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}
