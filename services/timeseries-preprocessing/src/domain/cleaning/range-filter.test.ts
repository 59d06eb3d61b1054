import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.js';
import { applyRangeFilter } from './range-filter.js';
import { row } from './test-rows.js';

describe('applyRangeFilter', () => {
  it('nulls and flags values outside their range, keeps the bounds', () => {
    const columns = toColumns([
      row(0, { temperature: 50, humidity: 0, no2: 250, bc: -1500, pm25: 300 }),
      row(1, { temperature: 50.5, humidity: -1, no2: 251, bc: -1501, pm25: 300.1 }),
    ]);
    applyRangeFilter(columns);
    expect(Array.from(columns.values.temperature)).toEqual([50, NaN]);
    expect(Array.from(columns.values.humidity)).toEqual([0, NaN]);
    expect(Array.from(columns.values.no2)).toEqual([250, NaN]);
    expect(Array.from(columns.values.bc)).toEqual([-1500, NaN]);
    expect(Array.from(columns.values.pm25)).toEqual([300, NaN]);
    expect(columns.removed.temperature).toEqual([null, 'range']);
    expect(columns.removed.pm25).toEqual([null, 'range']);
  });

  it('leaves missing values missing and unflagged', () => {
    const columns = toColumns([row(0)]);
    applyRangeFilter(columns);
    expect(columns.values.pm10[0]).toBeNaN();
    expect(columns.removed.pm10).toEqual([null]);
  });
});
