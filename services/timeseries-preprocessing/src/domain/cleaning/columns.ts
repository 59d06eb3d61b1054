/**
 * Column form of a participant's series, shared by the cleaning rules: one Float64Array per
 * variable with NaN for null, so the rules run without allocating per row.
 */
import { SENSOR_VARIABLES, type RemovalReason, type SensorRow, type SensorVariable } from '../sensor-row.js';

export interface SensorColumns {
  /** Event times, ascending, epoch ms. */
  readonly timesMs: Float64Array;
  readonly values: Record<SensorVariable, Float64Array>;
  /** Removal reason per variable and row; `null` when the value was kept. */
  readonly removed: Record<SensorVariable, (RemovalReason | null)[]>;
}

/** Builds the column form of rows already sorted by time. */
export function toColumns(rows: readonly SensorRow[]): SensorColumns {
  const n = rows.length;
  const timesMs = new Float64Array(n);
  const values = {} as Record<SensorVariable, Float64Array>;
  const removed = {} as Record<SensorVariable, (RemovalReason | null)[]>;
  for (const v of SENSOR_VARIABLES) {
    values[v] = new Float64Array(n);
    removed[v] = new Array<RemovalReason | null>(n).fill(null);
  }
  const { pm1, pm25, pm10, no2, bc, temperature, humidity } = values;
  // Unrolled: this loop runs once per row of every cleaned series.
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    timesMs[i] = row.timeMs;
    pm1[i] = row.pm1 ?? Number.NaN;
    pm25[i] = row.pm25 ?? Number.NaN;
    pm10[i] = row.pm10 ?? Number.NaN;
    no2[i] = row.no2 ?? Number.NaN;
    bc[i] = row.bc ?? Number.NaN;
    temperature[i] = row.temperature ?? Number.NaN;
    humidity[i] = row.humidity ?? Number.NaN;
  }
  return { timesMs, values, removed };
}

/** Marks a value as removed, keeping the first reason. */
export function removeValue(columns: SensorColumns, variable: SensorVariable, index: number, reason: RemovalReason): void {
  columns.values[variable][index] = Number.NaN;
  const reasons = columns.removed[variable];
  if (reasons[index] === null) reasons[index] = reason;
}
