import { MINUTE_MS, SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { CleaningWorkspace, type SensorColumns } from './columns.js';

export interface ImputationParams {
  /** Window start relative to the row, ms (negative = before). */
  readonly fromOffsetMs: number;
  /** Window end relative to the row, ms, inclusive. */
  readonly toOffsetMs: number;
  /** Fewest non-null values the mean needs. */
  readonly minValues: number;
}

/** docs/design.md §5.1 step 4: offsets −4…+3 minutes, at least one value. */
export const defaultImputationParams: ImputationParams = Object.freeze({
  fromOffsetMs: -4 * MINUTE_MS,
  toOffsetMs: 3 * MINUTE_MS,
  minValues: 1,
});

const IMPUTED_NAME = Object.fromEntries(SENSOR_VARIABLES.map((v) => [v, `imputed:${v}`])) as Readonly<Record<SensorVariable, string>>;

/**
 * Imputation: a null at time t is filled with the mean of the non-null values (before
 * imputation) with time in [t + from, t + to]; cells with fewer than `minValues` such values stay
 * null. Windows are in event time, so a missing row is simply absent from the window and the
 * middle of a long gap stays null.
 *
 * @example imputeGaps(columns) // pm25 10, null, 14 per minute → null becomes 12, imputed
 * @returns per variable, which rows were filled.
 */
export function imputeGaps(
  columns: SensorColumns,
  params: ImputationParams = defaultImputationParams,
  workspace: CleaningWorkspace = new CleaningWorkspace(),
): Record<SensorVariable, Uint8Array> {
  const times = columns.timesMs;
  const n = times.length;
  // The window [t + from, t + to] of each row, as row indices: the same for every variable.
  const windowLo = workspace.int32('imputationWindowLo', n);
  const windowHi = workspace.int32('imputationWindowHi', n);
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    while (hi + 1 < n && times[hi + 1]! <= t + params.toOffsetMs) hi++;
    while (times[lo]! < t + params.fromOffsetMs) lo++;
    windowLo[i] = lo;
    windowHi[i] = hi;
  }
  const imputed = {} as Record<SensorVariable, Uint8Array>;
  // Filled cells are written after the pass: every mean reads the values before imputation.
  const filledAt = workspace.int32('filledAt', n);
  const filledWith = workspace.float64('filledWith', n);
  for (const v of SENSOR_VARIABLES) {
    const values = columns.values[v];
    const flags = workspace.zeroedUint8(IMPUTED_NAME[v], n);
    let filledCount = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(values[i]!)) continue;
      // Summed afresh (not a running sum) so the result does not depend on where the series starts.
      let sum = 0;
      let count = 0;
      for (let j = windowLo[i]!, end = windowHi[i]!; j <= end; j++) {
        const w = values[j]!;
        if (!Number.isNaN(w)) { sum += w; count++; }
      }
      if (count < params.minValues) continue;
      filledAt[filledCount] = i;
      filledWith[filledCount++] = sum / count;
    }
    for (let k = 0; k < filledCount; k++) {
      values[filledAt[k]!] = filledWith[k]!;
      flags[filledAt[k]!] = 1;
    }
    imputed[v] = flags;
  }
  return imputed;
}
