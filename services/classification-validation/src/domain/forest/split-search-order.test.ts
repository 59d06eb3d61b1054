import { describe, expect, it } from 'vitest';
import { splitSearchOrder } from './split-search-order.js';
import { mulberry32 } from './train-forest.js';

describe('splitSearchOrder', () => {
  it('without a head, groups rows by class, rarest class first', () => {
    expect(splitSearchOrder([0, 0, 0, 1], 0, mulberry32(1))).toEqual([3, 0, 1, 2]);
    expect(splitSearchOrder([2, 0, 1, 0, 2, 0, 1], 0, mulberry32(1))).toEqual([2, 6, 0, 4, 1, 3, 5]);
  });

  it('puts a random head first and keeps every row once', () => {
    const y = Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : i < 37 ? 1 : 2));
    const order = splitSearchOrder(y, 0.25, mulberry32(3));
    expect([...order].sort((a, b) => a - b)).toEqual(y.map((_, i) => i));
    const tail = order.slice(10).map((i) => y[i]!);
    expect(tail).toEqual([...tail].sort((a, b) => b - a));
    // Reproducible for a seed, and the head is not the rows' own order.
    expect(splitSearchOrder(y, 0.25, mulberry32(3))).toEqual(order);
    expect(order.slice(0, 10)).not.toEqual(order.slice(0, 10).sort((a, b) => a - b));
  });

  it('rejects a head share outside [0, 1]', () => {
    expect(() => splitSearchOrder([0], 1.5, mulberry32(1))).toThrow(RangeError);
  });
});
