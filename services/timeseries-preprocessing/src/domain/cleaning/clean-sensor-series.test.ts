import { describe, expect, it } from 'vitest';
import { cleanRows, cleanSensorColumns, cleanSensorSeries, sortAndDeduplicate } from './clean-sensor-series.js';
import { CleaningWorkspace } from './columns.js';
import { row, T0_MS } from './test-rows.js';

describe('cleanSensorSeries', () => {
  it('runs range, warm-up, spike and imputation and reports the flags', () => {
    const rows = [
      row(0, { no2: 30, temperature: 20, activity: 'Domicile' }),
      row(1, { no2: 31, temperature: 80, activity: 'Domicile', event: 'start' }),
      row(2, { no2: 32, temperature: 20 }),
      row(3, { no2: 33, temperature: 21 }),
    ];
    const out = cleanSensorSeries(rows);
    expect(out.map((r) => r.no2)).toEqual([33, 33, 33, 33]);
    // Temperature 80 is out of range, then imputed from 20, 20, 21 within −4…+3 min.
    expect(out.map((r) => r.temperature)).toEqual([20, 61 / 3, 20, 21]);
    expect(out.map((r) => r.imputed_temperature)).toEqual([false, true, false, false]);
    // Dropped warm-up cells all reach the 33 at minute 3 (offset ≤ +3 min).
    expect(out.map((r) => r.imputed_no2)).toEqual([true, true, true, false]);
    expect(out.map((r) => r.qualityFlags)).toEqual(['no2:warmup', 'no2:warmup;temperature:range', 'no2:warmup', '']);
    expect(out[1]).toMatchObject({ timeMs: T0_MS + 60_000, activity: 'Domicile', event: 'start', pm25: null, imputed_pm25: false });
  });

  it('sorts rows and keeps the last of equal times', () => {
    const out = cleanSensorSeries([row(2, { bc: 5 }), row(0, { bc: 1 }), row(2, { bc: 7 })]);
    expect(out.map((r) => [r.timeMs - T0_MS, r.bc])).toEqual([
      [0, 1],
      [120_000, 7],
    ]);
  });

  it('returns an ordered input as it is, without copying', () => {
    const rows = [row(0), row(1)];
    expect(sortAndDeduplicate(rows)).toBe(rows);
  });

  it('cleans in column form into a reused workspace without traces of the previous series', () => {
    const workspace = new CleaningWorkspace();
    // Leaves range codes, warm-up codes and imputed flags at rows 0–3 of the workspace.
    cleanSensorColumns([row(0, { no2: 30, temperature: 80 }), row(1, { no2: 31, temperature: 20 }), row(2, { no2: 32 }), row(3, { no2: 33, temperature: 90 })], undefined, undefined, workspace);
    const series = cleanSensorColumns([row(0, { pm25: 10 }), row(1), row(2, { pm25: 14 })], undefined, undefined, workspace);
    const out = cleanRows(series);
    expect(out.map((r) => [r.pm25, r.imputed_pm25, r.temperature, r.imputed_temperature, r.no2, r.imputed_no2, r.qualityFlags])).toEqual([
      [10, false, null, false, null, false, ''],
      [12, true, null, false, null, false, ''],
      [14, false, null, false, null, false, ''],
    ]);
    expect(series.rows[1]).toEqual(row(1));
  });

  it('returns nothing for no rows', () => {
    expect(cleanSensorSeries([])).toEqual([]);
  });
});
