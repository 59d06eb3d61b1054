import { describe, expect, it } from 'vitest';
import type { CleanSensorRow, SensorRow } from '../sensor-row.js';
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

/** Minute i of a stretch with steady background: the given overrides on top. */
function background(minute: number, overrides: Partial<Omit<SensorRow, 'timeMs'>> = {}): SensorRow {
  return row(minute, { pm1: 6, pm25: 10, pm10: 15, no2: 20, bc: 1000, temperature: 21, humidity: 45, ...overrides });
}

describe('cleanSensorSeries keeps real pollution (docs/design.md §5.1 scenarios)', () => {
  // The first three NO2 minutes are warm-up: every scenario starts after them.
  const flagsWithoutWarmUp = (out: readonly CleanSensorRow[]) => out.map((r) => r.qualityFlags.replace(/(^|;)no2:warmup/, '').replace(/^;/, ''));

  it('keeps a passing bus on every channel', () => {
    const rows = Array.from({ length: 11 }, (_, m) => (m === 7 ? background(m, { pm1: 60, pm25: 90, pm10: 130, bc: 9000 }) : background(m)));
    const out = cleanSensorSeries(rows);
    expect(out[7]).toMatchObject({ pm1: 60, pm25: 90, pm10: 130, bc: 9000, qualityFlags: '' });
    expect(flagsWithoutWarmUp(out).every((f) => f === '')).toBe(true);
  });

  it('keeps 20 minutes of cooking at PM2.5 450 µg/m³, flagged high, not imputed', () => {
    const cooking = (m: number) => m >= 10 && m < 30;
    const rows = Array.from({ length: 40 }, (_, m) => (cooking(m) ? background(m, { pm1: 330, pm25: 450, pm10: 520, bc: 2500 }) : background(m)));
    const out = cleanSensorSeries(rows).filter((r) => cooking((r.timeMs - T0_MS) / 60_000));
    expect(out).toHaveLength(20);
    expect(out.every((r) => r.pm25 === 450 && !r.imputed_pm25 && r.qualityFlags === 'pm1:high;pm25:high;pm10:high')).toBe(true);
  });

  it('keeps a tunnel\'s black carbon: 60,000 ng/m³ for 5 minutes, flagged high', () => {
    const tunnel = (m: number) => m >= 10 && m < 15;
    const rows = Array.from({ length: 25 }, (_, m) => (tunnel(m) ? background(m, { bc: 60_000, no2: 90 }) : background(m)));
    const out = cleanSensorSeries(rows).filter((r) => tunnel((r.timeMs - T0_MS) / 60_000));
    expect(out.map((r) => [r.bc, r.qualityFlags])).toEqual(new Array(5).fill([60_000, 'bc:high']));
  });

  it('removes a one-channel glitch and imputes it from its neighbours', () => {
    const rows = Array.from({ length: 11 }, (_, m) => (m === 7 ? background(m, { pm25: 90 }) : background(m)));
    const out = cleanSensorSeries(rows);
    expect(out[7]).toMatchObject({ pm25: 10, imputed_pm25: true, pm1: 6, pm10: 15, qualityFlags: 'pm25:spike' });
    expect(flagsWithoutWarmUp(out).filter((f) => f !== '')).toEqual(['pm25:spike']);
  });

  it('leaves a flat, quantised signal untouched (MAD = 0)', () => {
    const steps = [10, 10, 11, 10, 10, 9, 10, 10, 11, 10, 10, 10];
    const rows = steps.map((pm25, m) => background(m, { pm25, temperature: 21 + (m % 4 === 2 ? 0.1 : 0) }));
    const out = cleanSensorSeries(rows);
    expect(out.map((r) => r.pm25)).toEqual(steps);
    expect(flagsWithoutWarmUp(out).every((f) => f === '')).toBe(true);
  });

  it('clips humidity 102 % to 100 and flags it', () => {
    const rows = Array.from({ length: 6 }, (_, m) => background(m, { humidity: m === 4 ? 102 : 98 }));
    expect(cleanSensorSeries(rows)[4]).toMatchObject({ humidity: 100, imputed_humidity: false, qualityFlags: 'humidity:clipped' });
  });
});
