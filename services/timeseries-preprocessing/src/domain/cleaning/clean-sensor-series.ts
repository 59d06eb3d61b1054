import type { CleanSensorRow, SensorRow } from '../sensor-row.js';
import { qualityFlagsAt, toColumns } from './columns.js';
import { defaultImputationParams, imputeGaps, type ImputationParams } from './imputation.js';
import { defaultNo2WarmUpParams, dropNo2WarmUp, emptyNo2WarmUpCarry, type No2WarmUpCarry, type No2WarmUpParams } from './no2-warm-up.js';
import { applyRangeFilter, defaultRangeFilterParams, type RangeFilterParams } from './range-filter.js';
import { defaultSpikeFilterParams, removeSpikes, type SpikeFilterParams } from './spike-filter.js';

export interface CleaningParams {
  readonly range: RangeFilterParams;
  readonly warmUp: No2WarmUpParams;
  readonly spike: SpikeFilterParams;
  readonly imputation: ImputationParams;
}

export const defaultCleaningParams: CleaningParams = Object.freeze({
  range: defaultRangeFilterParams,
  warmUp: defaultNo2WarmUpParams,
  spike: defaultSpikeFilterParams,
  imputation: defaultImputationParams,
});

/**
 * Sorts one participant's rows by time; of rows with the same time the last one wins (a
 * re-sent record replaces the earlier one). Returns a new array.
 */
export function sortAndDeduplicate<R extends SensorRow>(rows: readonly R[]): R[] {
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = rows[i - 1]!.timeMs < rows[i]!.timeMs;
  if (ordered) return rows.slice();
  const sorted = rows.map((row, index) => ({ row, index }));
  sorted.sort((a, b) => a.row.timeMs - b.row.timeMs || a.index - b.index);
  const out: R[] = [];
  for (const { row } of sorted) {
    if (out.length > 0 && out[out.length - 1]!.timeMs === row.timeMs) out[out.length - 1] = row;
    else out.push(row);
  }
  return out;
}

/**
 * Cleans one participant's 1-minute series (DESIGN.md §5.1): range filter, NO2 warm-up, spike
 * removal, imputation, in that order. Rows need not be sorted; duplicates by time keep the last.
 *
 * @example cleanSensorSeries(rows) // one CleanSensorRow per distinct time, ascending
 * @param carry warm-up state of rows before `rows` (streaming); empty for a whole series.
 */
export function cleanSensorSeries(
  rows: readonly SensorRow[],
  params: CleaningParams = defaultCleaningParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
): CleanSensorRow[] {
  return cleanSortedSeries(sortAndDeduplicate(rows), params, carry);
}

/** {@link cleanSensorSeries} on rows already sorted by time without duplicates. */
export function cleanSortedSeries(
  rows: readonly SensorRow[],
  params: CleaningParams = defaultCleaningParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
): CleanSensorRow[] {
  const columns = toColumns(rows);
  const rawNo2 = columns.values.no2.slice();
  applyRangeFilter(columns, params.range);
  dropNo2WarmUp(columns, rawNo2, params.warmUp, carry);
  removeSpikes(columns, params.spike);
  const imputed = imputeGaps(columns, params.imputation);
  const { values } = columns;
  const out = new Array<CleanSensorRow>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    out[i] = {
      timeMs: row.timeMs,
      pm1: nullable(values.pm1[i]!),
      pm25: nullable(values.pm25[i]!),
      pm10: nullable(values.pm10[i]!),
      no2: nullable(values.no2[i]!),
      bc: nullable(values.bc[i]!),
      temperature: nullable(values.temperature[i]!),
      humidity: nullable(values.humidity[i]!),
      imputed_pm1: imputed.pm1[i] === 1,
      imputed_pm25: imputed.pm25[i] === 1,
      imputed_pm10: imputed.pm10[i] === 1,
      imputed_no2: imputed.no2[i] === 1,
      imputed_bc: imputed.bc[i] === 1,
      imputed_temperature: imputed.temperature[i] === 1,
      imputed_humidity: imputed.humidity[i] === 1,
      qualityFlags: qualityFlagsAt(columns, i),
      activity: row.activity,
      event: row.event,
    };
  }
  return out;
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
