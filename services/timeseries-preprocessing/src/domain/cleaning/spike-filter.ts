import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { MINUTE_MS, SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { CleaningWorkspace, removeValue, type SensorColumns } from './columns.js';

export interface SpikeFilterParams {
  /** Half-width of the centred window, ms: a row at t sees rows with time in [t − h, t + h]. */
  readonly halfWindowMs: number;
  /** Multiplier k of the scaled MAD. */
  readonly k: number;
  /**
   * Smallest jump above both neighbours that can be a glitch, per variable, in its unit (µg/m³,
   * ppb, ng/m³, °C, %): on a flat, quantised stretch the MAD is 0, and the floor keeps every small step.
   */
  readonly minJump: Readonly<Record<SensorVariable, number>>;
  /**
   * The same floor for a value below both neighbours. Noise is additive near zero, so halving
   * for one minute is ordinary at low levels (white noise 20 ± 5 µg/m³ drops to 8 between 20s
   * every few hundred minutes) while a rise to ×2.5 is not: a drop must clear a higher floor.
   */
  readonly minDrop: Readonly<Record<SensorVariable, number>>;
  /**
   * Smallest factor between a glitch and both neighbours, per variable: above both, x > r · the
   * larger; below both, r · x < the smaller. Concentration noise grows with the level, so a jump
   * that is a glitch at 5 µg/m³ is noise at 200; 1 turns the test off (temperature, humidity).
   */
  readonly minRatio: Readonly<Record<SensorVariable, number>>;
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

/**
 * docs/design.md §5.1 step 3: a centred 5-minute window (±2 min), k = 3. A concentration glitch must
 * rise ×2.5 above both neighbours and by more than PM 10 µg/m³, NO2 10 ppb, BC 1000 ng/m³;
 * the design's floors (25, 20, 3000) missed every glitch on a clean background (PM1 4 → 22 → 5) and
 * stay for drops. 2.5 is above the ×2.24 that white noise 20 ± 5 µg/m³ reaches in 10,000 minutes
 * (spike-filter.test.ts). Humidity 5 % RH, five 1 % quantisation steps: 15 % missed half of
 * the simulator's ±8–20 % glitches.
 */
export const defaultSpikeFilterParams: SpikeFilterParams = Object.freeze({
  halfWindowMs: 2 * MINUTE_MS,
  k: 3,
  minJump: Object.freeze({ pm1: 10, pm25: 10, pm10: 10, no2: 10, bc: 1000, temperature: 3, humidity: 5 }),
  minDrop: Object.freeze({ pm1: 25, pm25: 25, pm10: 25, no2: 20, bc: 3000, temperature: 3, humidity: 5 }),
  minRatio: Object.freeze({ pm1: 2.5, pm25: 2.5, pm10: 2.5, no2: 2.5, bc: 2.5, temperature: 1, humidity: 1 }),
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
 * - its jumps to both neighbours exceed T = max(k·1.4826·MAD of the window's other non-null
 *   values, the variable's floor: `minJump` above, `minDrop` below), and it is more than
 *   `minRatio` times above both (or below both by that factor);
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
      if (excursion === null) continue;
      const floor = excursion.direction === 1 ? params.minJump[v] : params.minDrop[v];
      if (excursion.minJump <= floor || !exceedsRatio(values[i]!, excursion, params.minRatio[v])) continue;
      if (excursion.minJump <= glitchThreshold(values, i, window, params.k, floor)) continue;
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
interface Excursion {
  readonly direction: 1 | -1;
  /** The smaller of the two jumps. */
  readonly minJump: number;
  /** The neighbour nearer to x in value (the larger one above, the smaller one below). */
  readonly nearestNeighbour: number;
}

function excursionAt(values: Float64Array, i: number, window: Windows): Excursion | null {
  const x = values[i]!;
  if (Number.isNaN(x)) return null;
  let before = i - 1;
  while (before >= window.lo[i]! && Number.isNaN(values[before]!)) before--;
  if (before < window.lo[i]!) return null;
  let after = i + 1;
  while (after <= window.hi[i]! && Number.isNaN(values[after]!)) after++;
  if (after > window.hi[i]!) return null;
  const higher = Math.max(values[before]!, values[after]!);
  if (x > higher) return { direction: 1, minJump: x - higher, nearestNeighbour: higher };
  const lower = Math.min(values[before]!, values[after]!);
  if (x < lower) return { direction: -1, minJump: lower - x, nearestNeighbour: lower };
  return null;
}

/** Whether x is more than `ratio` times above (or below) both neighbours; a neighbour ≤ 0 (BC noise) always passes above. */
function exceedsRatio(x: number, excursion: Excursion, ratio: number): boolean {
  return excursion.direction === 1 ? x > ratio * excursion.nearestNeighbour : ratio * x < excursion.nearestNeighbour;
}

/** The non-null values of row i's window. */
function windowValues(values: Float64Array, i: number, window: Windows, skip = -1): number[] {
  const present: number[] = [];
  for (let j = window.lo[i]!; j <= window.hi[i]!; j++) if (j !== skip && !Number.isNaN(values[j]!)) present.push(values[j]!);
  return present;
}

/** max(k·1.4826·MAD of the other non-null values in row i's window, floor): a candidate does not widen its own yardstick. */
function glitchThreshold(values: Float64Array, i: number, window: Windows, k: number, floor: number): number {
  return Math.max(k * MAD_SCALE * medianAbsoluteDeviation(windowValues(values, i, window, i)), floor);
}

/** Whether values[i] departs from its window's median in `direction` by more than `share` of its glitch threshold. */
function movesWith(values: Float64Array, i: number, direction: 1 | -1, window: Windows, k: number, floor: number, share: number): boolean {
  const x = values[i]!;
  if (Number.isNaN(x)) return false;
  const departure = direction * (x - median(windowValues(values, i, window)));
  return departure > 0 && departure > share * glitchThreshold(values, i, window, k, floor);
}
