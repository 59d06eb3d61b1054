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
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    timesMs[i] = row.timeMs;
    for (const v of SENSOR_VARIABLES) {
      const x = row[v];
      values[v][i] = x === null ? Number.NaN : x;
    }
  }
  return { timesMs, values, removed };
}

/** Marks a value as removed, keeping the first reason. */
export function removeValue(columns: SensorColumns, variable: SensorVariable, index: number, reason: RemovalReason): void {
  columns.values[variable][index] = Number.NaN;
  const reasons = columns.removed[variable];
  if (reasons[index] === null) reasons[index] = reason;
}
