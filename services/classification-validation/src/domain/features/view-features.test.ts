import { describe, expect, it } from 'vitest';
import { minute } from '../test-fixtures.js';
import { segmentFeatures, viewFeatures } from './view-features.js';

describe('viewFeatures', () => {
  it('computes mean, std, min, max, median, slope per minute, delta and mean absolute step', () => {
    const rows = [minute(0, { no2: 18 }), minute(1), minute(2, { no2: 20 }), minute(4, { no2: 22 })];
    const f = viewFeatures(rows, 'no2')!;
    expect(f[0]).toBe(20);
    expect(f[1]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(f.slice(2)).toEqual([18, 22, 20, 1, 4, 2]);
  });

  it('measures slope and delta in time order and from the first value', () => {
    const f = viewFeatures([minute(1, { bc: 900 }), minute(2, { bc: 700 }), minute(3, { bc: 500 }), minute(4, { bc: 300 })], 'bc')!;
    expect(f.slice(5)).toEqual([-200, -600, 200]);
  });

  it('measures variability as the mean absolute step between consecutive values', () => {
    const f = viewFeatures([minute(0, { pm25: 10 }), minute(1, { pm25: 14 }), minute(2, { pm25: 10 }), minute(3, { pm25: 14 }), minute(4, { pm25: 10 })], 'pm25')!;
    expect(f[6]).toBe(0);
    expect(f[7]).toBe(4);
  });

  it('marks a view absent with 2 values or fewer', () => {
    expect(viewFeatures([minute(0, { pm1: 3 }), minute(1, { pm1: 4 }), minute(2)], 'pm1')).toBeNull();
    const all = segmentFeatures([minute(0, { temperature: 20 }), minute(1, { temperature: 21 }), minute(2, { temperature: 22 })]);
    expect(all.map((f) => f !== null)).toEqual([true, false, false, false, false, false, false]);
  });
});
