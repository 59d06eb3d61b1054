import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.js';
import { removeSpikes } from './spike-filter.js';
import { minutes, series } from './test-rows.js';

function run(mins: number[], pm25: (number | null)[]) {
  const columns = toColumns(series('pm25', mins, pm25));
  removeSpikes(columns);
  return { pm25: Array.from(columns.values.pm25, (x) => (Number.isNaN(x) ? null : x)), removed: columns.removed.pm25 };
}

describe('removeSpikes', () => {
  it('removes only the spike cell', () => {
    // Window of 90: 10, 11, 90, 12, 10 → median 11, MAD 1, threshold 4.4478; jumps 79 and 78.
    const { pm25, removed } = run(minutes(5), [10, 11, 90, 12, 10]);
    expect(pm25).toEqual([10, 11, null, 12, 10]);
    expect(removed).toEqual([null, null, 'spike', null, null]);
  });

  it('takes the MAD of a full window from the nearest deviations on both sides', () => {
    // Window of 50: 20, 21, 50, 22, 30 → median 22, deviations 0, 1, 2, 8, 28 → MAD 2, threshold 8.8956.
    // (A MAD of 8 from the upper side alone would give 35.58 and keep 50.)
    const { pm25 } = run(minutes(5), [20, 21, 50, 22, 30]);
    expect(pm25).toEqual([20, 21, null, 22, 30]);
  });

  it('removes a downward spike', () => {
    const { pm25 } = run(minutes(5), [40, 41, 2, 40, 42]);
    expect(pm25).toEqual([40, 41, null, 40, 42]);
  });

  it('keeps a plateau of two equal high values', () => {
    const { pm25 } = run(minutes(6), [10, 10, 50, 50, 10, 10]);
    expect(pm25).toEqual([10, 10, 50, 50, 10, 10]);
  });

  it('keeps a local extremum within the threshold', () => {
    // 12 at minute 1: window 10, 12, 11, 13 → median 11.5, MAD 1, threshold 4.4478 > 0.5.
    const { pm25 } = run(minutes(5), [10, 12, 11, 13, 12]);
    expect(pm25).toEqual([10, 12, 11, 13, 12]);
  });

  it('needs a neighbour on both sides inside the window (event time, not rows)', () => {
    // 90 at minute 2 has no row after it before minute 5: not a spike.
    const { pm25 } = run([0, 1, 2, 5, 6], [10, 11, 90, 10, 11]);
    expect(pm25).toEqual([10, 11, 90, 10, 11]);
  });

  it('leaves an all-null variable alone', () => {
    const { pm25, removed } = run(minutes(4), [null, null, null, null]);
    expect(pm25).toEqual([null, null, null, null]);
    expect(removed).toEqual([null, null, null, null]);
  });
});
