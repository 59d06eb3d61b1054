import { type CleanSensorRow, type SensorRow, type SensorVariable } from '../sensor-row.js';
import { CleaningWorkspace, qualityFlagsAt, toColumns, type SensorColumns } from './columns.js';
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
 * A cleaned series in column form, before any output row is built: a caller that turns rows into
 * its own records (Kafka values, CSV lines) reads them from here and skips the {@link CleanSensorRow}.
 */
export interface CleanedSeries<R extends SensorRow = SensorRow> {
  /** The source rows, ascending by time, one per time: activity, event and the caller's own fields. */
  readonly rows: readonly R[];
  /** Cleaned values (NaN = null), with the removal codes behind `qualityFlags`. */
  readonly columns: SensorColumns;
  /** Per variable, 1 where the value was imputed. */
  readonly imputed: Readonly<Record<SensorVariable, Uint8Array>>;
}

/** Reused by the functions that return row objects: their rows are built before they return. */
const rowsWorkspace = new CleaningWorkspace();

/**
 * Sorts one participant's rows by time; of rows with the same time the last one wins (a
 * re-sent record replaces the earlier one). Returns the input itself when it is already strictly
 * ascending, a new array otherwise.
 */
export function sortAndDeduplicate<R extends SensorRow>(rows: readonly R[]): readonly R[] {
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = rows[i - 1]!.timeMs < rows[i]!.timeMs;
  if (ordered) return rows;
  // Sorting indices by (time, arrival) keeps the last arrival of a time at the end of its run.
  const times = Float64Array.from(rows, (r) => r.timeMs);
  const order = Uint32Array.from(rows.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
  const out: R[] = [];
  for (const index of order) {
    const row = rows[index]!;
    if (out.length > 0 && out[out.length - 1]!.timeMs === row.timeMs) out[out.length - 1] = row;
    else out.push(row);
  }
  return out;
}

/**
 * Cleans one participant's 1-minute series (docs/design.md §5.1): range filter, NO2 warm-up, spike
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
  return cleanRows(cleanSensorColumns(rows, params, carry, rowsWorkspace));
}

/** {@link cleanSensorSeries} on rows already sorted by time without duplicates. */
export function cleanSortedSeries(
  rows: readonly SensorRow[],
  params: CleaningParams = defaultCleaningParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
): CleanSensorRow[] {
  return cleanRows(cleanSortedColumns(rows, params, carry, rowsWorkspace));
}

/**
 * {@link cleanSensorSeries} in column form: the same rules and values, no object per row.
 *
 * @example cleanRowAt(cleanSensorColumns(rows), 0) // the first cleaned minute
 * @param workspace arrays to reuse (the result is a view into them until the next call given
 *   the same workspace); fresh arrays by default.
 */
export function cleanSensorColumns<R extends SensorRow>(
  rows: readonly R[],
  params: CleaningParams = defaultCleaningParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
  workspace: CleaningWorkspace = new CleaningWorkspace(),
): CleanedSeries<R> {
  return cleanSortedColumns(sortAndDeduplicate(rows), params, carry, workspace);
}

/** {@link cleanSensorColumns} on rows already sorted by time without duplicates. */
export function cleanSortedColumns<R extends SensorRow>(
  rows: readonly R[],
  params: CleaningParams = defaultCleaningParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
  workspace: CleaningWorkspace = new CleaningWorkspace(),
): CleanedSeries<R> {
  const columns = toColumns(rows, workspace);
  const rawNo2 = workspace.float64('rawNo2', rows.length);
  rawNo2.set(columns.values.no2);
  applyRangeFilter(columns, params.range);
  dropNo2WarmUp(columns, rawNo2, params.warmUp, carry);
  removeSpikes(columns, params.spike, workspace);
  const imputed = imputeGaps(columns, params.imputation, workspace);
  return { rows, columns, imputed };
}

/** Row `index` of a cleaned series as a {@link CleanSensorRow}. */
export function cleanRowAt(series: CleanedSeries, index: number): CleanSensorRow {
  const { values } = series.columns;
  const { imputed } = series;
  const row = series.rows[index]!;
  return {
    timeMs: row.timeMs,
    pm1: nullable(values.pm1[index]!),
    pm25: nullable(values.pm25[index]!),
    pm10: nullable(values.pm10[index]!),
    no2: nullable(values.no2[index]!),
    bc: nullable(values.bc[index]!),
    temperature: nullable(values.temperature[index]!),
    humidity: nullable(values.humidity[index]!),
    imputed_pm1: imputed.pm1[index] === 1,
    imputed_pm25: imputed.pm25[index] === 1,
    imputed_pm10: imputed.pm10[index] === 1,
    imputed_no2: imputed.no2[index] === 1,
    imputed_bc: imputed.bc[index] === 1,
    imputed_temperature: imputed.temperature[index] === 1,
    imputed_humidity: imputed.humidity[index] === 1,
    qualityFlags: qualityFlagsAt(series.columns, index),
    activity: row.activity,
    event: row.event,
  };
}

/** Rows [from, to) of a cleaned series as {@link CleanSensorRow}s. */
export function cleanRows(series: CleanedSeries, from = 0, to = series.rows.length): CleanSensorRow[] {
  const out = new Array<CleanSensorRow>(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = cleanRowAt(series, i);
  return out;
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
