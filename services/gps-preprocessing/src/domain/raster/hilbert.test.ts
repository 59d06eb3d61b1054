import { describe, expect, it } from 'vitest';
import { hilbertIndex } from './hilbert.js';

describe('hilbertIndex', () => {
  // Curve-only vectors of docs/design.md §5.3.3, plus the corners of the curve.
  it.each([
    [4095, 0, 16777215],
    [0, 4095, 5592405],
    [1234, 2345, 7993159],
    [0, 0, 0],
    [1229, 2000, 3121649],
  ])('(%i, %i) → %i on side 4096', (x, y, d) => {
    expect(hilbertIndex(x, y)).toBe(d);
  });

  it('walks the order-1 curve (0,0) (0,1) (1,1) (1,0)', () => {
    const side = { sideCells: 2 };
    expect([hilbertIndex(0, 0, side), hilbertIndex(0, 1, side), hilbertIndex(1, 1, side), hilbertIndex(1, 0, side)]).toEqual([0, 1, 2, 3]);
  });

  it('visits every cell of a 16×16 curve once, each step to a neighbour', () => {
    const side = { sideCells: 16 };
    const at = new Array<[number, number]>(256);
    for (let x = 0; x < 16; x++) for (let y = 0; y < 16; y++) at[hilbertIndex(x, y, side)] = [x, y];
    for (let d = 1; d < 256; d++) {
      const [x0, y0] = at[d - 1]!;
      const [x1, y1] = at[d]!;
      expect(Math.abs(x1 - x0) + Math.abs(y1 - y0)).toBe(1);
    }
  });
});
