import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.js';
import { applyRangeFilter } from './range-filter.js';
import { row } from './test-rows.js';

describe('applyRangeFilter', () => {
  it('nulls and flags values outside what the instruments measure, keeps the bounds', () => {
    const columns = toColumns([
      row(0, { temperature: 50, humidity: 0, no2: 250, bc: -1500, pm25: 1000 }),
      row(1, { temperature: 50.5, humidity: -1, no2: 251, bc: -1501, pm25: 1000.1 }),
      row(2, { temperature: -20.1, humidity: 105.1, no2: -0.1, bc: 1_000_001, pm1: -1 }),
    ]);
    applyRangeFilter(columns);
    expect(Array.from(columns.values.temperature)).toEqual([50, NaN, NaN]);
    expect(Array.from(columns.values.humidity)).toEqual([0, NaN, NaN]);
    expect(Array.from(columns.values.no2)).toEqual([250, NaN, NaN]);
    expect(Array.from(columns.values.bc)).toEqual([-1500, NaN, NaN]);
    expect(Array.from(columns.values.pm25)).toEqual([1000, NaN, NaN]);
    expect(columns.flags.temperature).toEqual([null, 'range', 'range']);
    expect(columns.flags.pm25).toEqual(['high', 'range', null]);
    expect(columns.flags.pm1).toEqual([null, null, 'range']);
  });

  it('clips humidity 100–105 to 100 and flags it', () => {
    const columns = toColumns([row(0, { humidity: 100 }), row(1, { humidity: 102 }), row(2, { humidity: 105 })]);
    applyRangeFilter(columns);
    expect(Array.from(columns.values.humidity)).toEqual([100, 100, 100]);
    expect(columns.flags.humidity).toEqual([null, 'clipped', 'clipped']);
  });

  it('keeps high but real concentrations and flags them: PM above 300 µg/m³, BC above 50,000 ng/m³', () => {
    const columns = toColumns([
      row(0, { pm1: 300, pm25: 300, pm10: 300, bc: 50_000 }),
      row(1, { pm1: 310, pm25: 450, pm10: 900, bc: 60_000 }),
    ]);
    applyRangeFilter(columns);
    expect(Array.from(columns.values.pm25)).toEqual([300, 450]);
    expect(Array.from(columns.values.bc)).toEqual([50_000, 60_000]);
    for (const v of ['pm1', 'pm25', 'pm10', 'bc'] as const) expect(columns.flags[v], v).toEqual([null, 'high']);
  });

  it('leaves missing values missing and unflagged', () => {
    const columns = toColumns([row(0)]);
    applyRangeFilter(columns);
    expect(columns.values.pm10[0]).toBeNaN();
    expect(columns.flags.pm10).toEqual([null]);
  });
});
