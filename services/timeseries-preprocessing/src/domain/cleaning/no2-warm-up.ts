import { MINUTE_MS } from '../sensor-row.js';
import { removeValue, type SensorColumns } from './columns.js';

export interface No2WarmUpParams {
  /** A sensor session starts at a row whose gap to the previous row exceeds this, ms. */
  readonly maxSessionGapMs: number;
  /** How many NO2 values are dropped at the start of each session. */
  readonly warmUpValues: number;
}

/** docs/design.md §5.1 step 2: 3 values, sessions split on gaps over 10 minutes. */
export const defaultNo2WarmUpParams: No2WarmUpParams = Object.freeze({ maxSessionGapMs: 10 * MINUTE_MS, warmUpValues: 3 });

/**
 * What the warm-up rule knows about rows before the series (the streaming cleaner keeps it for
 * rows it no longer holds): time of the last row and NO2 values seen in its session (capped).
 */
export interface No2WarmUpCarry {
  readonly lastTimeMs: number | null;
  readonly no2ValuesInSession: number;
}

export const emptyNo2WarmUpCarry: No2WarmUpCarry = Object.freeze({ lastTimeMs: null, no2ValuesInSession: 0 });

/**
 * NO2 warm-up: the first `warmUpValues` NO2 values of each sensor session become null, flagged
 * `warmup`. A value counts when the kit reported it (before the range filter removed it), since
 * the sensor warms up whatever it reads. Mutates the columns.
 *
 * @example dropNo2WarmUp(columns, rawNo2) // NO2 at minutes 0, 1, 2 of a session → null
 * @param rawNo2 NO2 as reported (NaN = missing), to count the session's values.
 * @returns the carry after the last row.
 */
export function dropNo2WarmUp(
  columns: SensorColumns,
  rawNo2: Float64Array,
  params: No2WarmUpParams = defaultNo2WarmUpParams,
  carry: No2WarmUpCarry = emptyNo2WarmUpCarry,
): No2WarmUpCarry {
  let lastTimeMs = carry.lastTimeMs;
  let seen = carry.no2ValuesInSession;
  const times = columns.timesMs;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (lastTimeMs === null || t - lastTimeMs > params.maxSessionGapMs) seen = 0;
    lastTimeMs = t;
    if (Number.isNaN(rawNo2[i]!)) continue;
    if (seen < params.warmUpValues) {
      seen++;
      removeValue(columns, 'no2', i, 'warmup');
    }
  }
  return { lastTimeMs, no2ValuesInSession: seen };
}
