import { MINUTE_MS, SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import type { SensorColumns } from './columns.js';

export interface ImputationParams {
  /** Window start relative to the row, ms (negative = before). */
  readonly fromOffsetMs: number;
  /** Window end relative to the row, ms, inclusive. */
  readonly toOffsetMs: number;
  /** Fewest non-null values the mean needs. */
  readonly minValues: number;
}

/** DESIGN.md §5.1 step 4: offsets −4…+3 minutes, at least one value. */
export const defaultImputationParams: ImputationParams = Object.freeze({
  fromOffsetMs: -4 * MINUTE_MS,
  toOffsetMs: 3 * MINUTE_MS,
  minValues: 1,
});

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
): Record<SensorVariable, Uint8Array> {
  const times = columns.timesMs;
  const n = times.length;
  const imputed = {} as Record<SensorVariable, Uint8Array>;
  const filled = new Float64Array(n);
  for (const v of SENSOR_VARIABLES) {
    const values = columns.values[v];
    const flags = new Uint8Array(n);
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      const t = times[i]!;
      while (hi + 1 < n && times[hi + 1]! <= t + params.toOffsetMs) hi++;
      while (times[lo]! < t + params.fromOffsetMs) lo++;
      const x = values[i]!;
      filled[i] = x;
      if (!Number.isNaN(x)) continue;
      // Summed afresh (not a running sum) so the result does not depend on where the series starts.
      let sum = 0;
      let count = 0;
      for (let j = lo; j <= hi; j++) {
        const w = values[j]!;
        if (!Number.isNaN(w)) { sum += w; count++; }
      }
      if (count < params.minValues) continue;
      filled[i] = sum / count;
      flags[i] = 1;
    }
    values.set(filled);
    imputed[v] = flags;
  }
  return imputed;
}
