import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { MINUTE_MS, SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { CleaningWorkspace, removeValue, type SensorColumns } from './columns.js';

export interface SpikeFilterParams {
  /** Half-width of the centred window, ms: a row at t sees rows with time in [t − h, t + h]. */
  readonly halfWindowMs: number;
  /** Multiplier k of the scaled MAD. */
  readonly k: number;
  /**
   * Smallest jump to both neighbours that can be a glitch, per variable, in its unit (µg/m³, ppb,
   * ng/m³, °C, %): on a flat, quantised stretch the MAD is 0, and the floor keeps every small step.
   */
  readonly minJump: Readonly<Record<SensorVariable, number>>;
  /** Variables the rule runs on. */
  readonly variables: readonly SensorVariable[];
  /** Pollutant channels: a real plume raises several of them in the same minute. */
  readonly pollutants: readonly SensorVariable[];
  /**
   * Another pollutant moves with a candidate when, in the same minute and direction, it departs
   * from the median of its own window by more than this share of its own glitch threshold.
   */
  readonly coMovementShare: number;
}

/** docs/design.md §5.1 step 3: a centred 5-minute window (±2 min), k = 3, absolute floors. */
export const defaultSpikeFilterParams: SpikeFilterParams = Object.freeze({
  halfWindowMs: 2 * MINUTE_MS,
  k: 3,
  minJump: Object.freeze({ pm1: 25, pm25: 25, pm10: 25, no2: 20, bc: 3000, temperature: 3, humidity: 15 }),
  variables: SENSOR_VARIABLES,
  pollutants: Object.freeze(['pm1', 'pm25', 'pm10', 'no2', 'bc'] as const),
  coMovementShare: 0.5,
});

/** 1/Φ⁻¹(3/4): scales the MAD to a standard deviation for normal data. */
const MAD_SCALE = 1.4826;

/**
 * Glitch removal (not peak removal). A non-null value x at time t is a glitch when:
 * - it has a previous and a next neighbour (the nearest non-null values before and after t
 *   within [t − h, t + h]) and is a strict extremum against them (above both or below both);
 * - its jumps to both neighbours exceed T = max(k·1.4826·MAD of the window's non-null values,
 *   the variable's absolute floor);
 * - for a pollutant, no other pollutant moves with it: none departs, in the same minute and the
 *   same direction, from the median of its own window by more than `coMovementShare` of its own T.
 *   (An electronic glitch hits one channel; a passing bus raises PM1, PM2.5, PM10 and BC together,
 *   though not always with their peaks in the same minute: hence the median, not the neighbours.)
 * Only that cell becomes null, flagged `spike`. Every decision reads the values before this rule
 * (after range and warm-up), so removing one glitch does not change its neighbours' decisions.
 * Mutates the columns.
 *
 * @example removeSpikes(columns) // pm25 10, 11, 90, 12, 10 with the other channels flat → 90 becomes null
 */
export function removeSpikes(
  columns: SensorColumns,
  params: SpikeFilterParams = defaultSpikeFilterParams,
  workspace: CleaningWorkspace = new CleaningWorkspace(),
): void {
  const times = columns.timesMs;
  const n = times.length;
  // The window [t − h, t + h] of each row, as row indices: the same for every variable.
  const windowLo = workspace.int32('spikeWindowLo', n);
  const windowHi = workspace.int32('spikeWindowHi', n);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    while (times[lo]! < t - params.halfWindowMs) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && times[hi + 1]! <= t + params.halfWindowMs) hi++;
    windowLo[i] = lo;
    windowHi[i] = hi;
  }
  const window = { lo: windowLo, hi: windowHi };
  const glitches: { variable: SensorVariable; index: number }[] = [];
  for (const v of params.variables) {
    const values = columns.values[v];
    const isPollutant = params.pollutants.includes(v);
    for (let i = 0; i < n; i++) {
      const excursion = excursionAt(values, i, window);
      // Cheap test first: most minutes are not extrema or jump less than the floor.
      if (excursion === null || excursion.minJump <= params.minJump[v]) continue;
      if (excursion.minJump <= glitchThreshold(values, i, window, params.k, params.minJump[v])) continue;
      if (isPollutant && params.pollutants.some((u) => u !== v && movesWith(columns.values[u], i, excursion.direction, window, params.k, params.minJump[u], params.coMovementShare))) continue;
      glitches.push({ variable: v, index: i });
    }
  }
  for (const { variable, index } of glitches) removeValue(columns, variable, index, 'spike');
}

interface Windows {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * How x = values[i] stands out from its nearest non-null neighbours inside the window: +1 above
 * both, −1 below both, with the smaller of the two jumps; null when it is not a strict extremum
 * or lacks a neighbour on either side.
 */
function excursionAt(values: Float64Array, i: number, window: Windows): { direction: 1 | -1; minJump: number } | null {
  const x = values[i]!;
  if (Number.isNaN(x)) return null;
  let before = i - 1;
  while (before >= window.lo[i]! && Number.isNaN(values[before]!)) before--;
  if (before < window.lo[i]!) return null;
  let after = i + 1;
  while (after <= window.hi[i]! && Number.isNaN(values[after]!)) after++;
  if (after > window.hi[i]!) return null;
  const up = Math.min(x - values[before]!, x - values[after]!);
  if (up > 0) return { direction: 1, minJump: up };
  const down = Math.min(values[before]! - x, values[after]! - x);
  if (down > 0) return { direction: -1, minJump: down };
  return null;
}

/** The non-null values of row i's window. */
function windowValues(values: Float64Array, i: number, window: Windows): number[] {
  const present: number[] = [];
  for (let j = window.lo[i]!; j <= window.hi[i]!; j++) if (!Number.isNaN(values[j]!)) present.push(values[j]!);
  return present;
}

/** max(k·1.4826·MAD of the non-null values in row i's window, floor). */
function glitchThreshold(values: Float64Array, i: number, window: Windows, k: number, floor: number): number {
  return Math.max(k * MAD_SCALE * medianAbsoluteDeviation(windowValues(values, i, window)), floor);
}

/** Whether values[i] departs from its window's median in `direction` by more than `share` of its glitch threshold. */
function movesWith(values: Float64Array, i: number, direction: 1 | -1, window: Windows, k: number, floor: number, share: number): boolean {
  const x = values[i]!;
  if (Number.isNaN(x)) return false;
  const departure = direction * (x - median(windowValues(values, i, window)));
  return departure > 0 && departure > share * glitchThreshold(values, i, window, k, floor);
}
