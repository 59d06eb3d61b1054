import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.js';
import { imputeGaps } from './imputation.js';
import { minutes, series } from './test-rows.js';

function run(mins: number[], pm10: (number | null)[]) {
  const columns = toColumns(series('pm10', mins, pm10));
  const imputed = imputeGaps(columns);
  return { pm10: Array.from(columns.values.pm10, (x) => (Number.isNaN(x) ? null : x)), imputed: Array.from(imputed.pm10) };
}

describe('imputeGaps', () => {
  it('fills a 3-minute gap with the mean of minutes −4…+3', () => {
    // Minute 1 sees 10 and 20; minutes 2 and 3 also see 30 at minute 5.
    const { pm10, imputed } = run(minutes(6), [10, null, null, null, 20, 30]);
    expect(pm10).toEqual([10, 15, 20, 20, 20, 30]);
    expect(imputed).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('leaves the middle of a 20-minute gap null', () => {
    const values: (number | null)[] = [10, ...new Array<null>(20).fill(null), 30];
    const { pm10, imputed } = run(minutes(22), values);
    // Minutes 1–4 reach back to minute 0; minutes 18–20 reach ahead to minute 21.
    expect(pm10).toEqual([10, 10, 10, 10, 10, ...new Array<null>(13).fill(null), 30, 30, 30, 30]);
    expect(imputed).toEqual([0, 1, 1, 1, 1, ...new Array<number>(13).fill(0), 1, 1, 1, 0]);
  });

  it('uses event time: a missing row is not a neighbour', () => {
    // Minute 10 sees minute 13 (+3) but not minute 5 (−5).
    const { pm10 } = run([5, 10, 13], [20, null, 40]);
    expect(pm10).toEqual([20, 40, 40]);
  });

  it('keeps an all-null sensor null, never 0', () => {
    const { pm10, imputed } = run(minutes(3), [null, null, null]);
    expect(pm10).toEqual([null, null, null]);
    expect(imputed).toEqual([0, 0, 0]);
  });
});
