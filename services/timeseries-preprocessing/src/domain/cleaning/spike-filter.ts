import { MINUTE_MS, SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { CleaningWorkspace, removeValue, type SensorColumns } from './columns.js';

export interface SpikeFilterParams {
  /** Half-width of the centred window, ms: a row at t sees rows with time in [t − h, t + h]. */
  readonly halfWindowMs: number;
  /** Hampel multiplier k of the scaled MAD. */
  readonly k: number;
  /** Variables the rule runs on. */
  readonly variables: readonly SensorVariable[];
}

/** A centred 5-minute window (±2 min), k = 3, on every variable. */
export const defaultSpikeFilterParams: SpikeFilterParams = Object.freeze({
  halfWindowMs: 2 * MINUTE_MS,
  k: 3,
  variables: SENSOR_VARIABLES,
});

/** 1/Φ⁻¹(3/4): scales the MAD to a standard deviation for normal data. */
const MAD_SCALE = 1.4826;

/**
 * Spike removal (Hampel rule). For a non-null value x at time t, let W be the non-null values with
 * time in [t − h, t + h] (x included), m = median(W), MAD = median(|w − m|), T = k·1.4826·MAD.
 * x is a spike when all hold:
 * - |x − m| > T;
 * - x has a previous and a next neighbour (the nearest non-null values before and after t inside
 *   the window) and is a strict extremum against them (greater than both, or less than both);
 * - |x − previous| > T and |x − next| > T.
 * Only that cell becomes null, flagged `spike`. A plateau of equal values is never a spike (not a
 * strict extremum). Every decision reads the values before this rule (after range and warm-up),
 * so removing one spike does not change the decision for its neighbours. Mutates the columns.
 *
 * @example removeSpikes(columns) // pm25 10, 11, 90, 12, 10 per minute → 90 becomes null
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
  const spikes = workspace.int32('spikes', n);
  let window = new Float64Array(16);
  for (const v of params.variables) {
    const values = columns.values[v];
    let spikeCount = 0;
    // Nearest non-null values before and after i: `before` trails i, `after` is searched forwards.
    let before = -1;
    let after = -1;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (Number.isNaN(x)) continue;
      const previousIndex = before;
      before = i;
      if (after <= i) {
        after = i + 1;
        while (after < n && Number.isNaN(values[after]!)) after++;
      }
      lo = windowLo[i]!;
      hi = windowHi[i]!;
      if (previousIndex < lo || after > hi) continue;
      const prev = values[previousIndex]!;
      const next = values[after]!;
      if (!((x > prev && x > next) || (x < prev && x < next))) continue;
      if (hi - lo + 1 > window.length) window = new Float64Array(2 * (hi - lo + 1));
      let count = 0;
      for (let j = lo; j <= hi; j++) {
        const w = values[j]!;
        if (!Number.isNaN(w)) window[count++] = w;
      }
      let median: number;
      let mad: number;
      if (count === 5) {
        // The usual full 5-minute window: a branch-free sort (noisy data makes branches unpredictable).
        sortFive(window);
        median = window[2]!;
        mad = madOfSortedFive(window, median);
      } else {
        median = medianInPlace(window, count);
        mad = medianDeviationSorted(window, count, median);
      }
      const threshold = params.k * MAD_SCALE * mad;
      if (Math.abs(x - median) > threshold && Math.abs(x - prev) > threshold && Math.abs(x - next) > threshold) {
        spikes[spikeCount++] = i;
      }
    }
    for (let s = 0; s < spikeCount; s++) removeValue(columns, v, spikes[s]!, 'spike');
  }
}

/**
 * Median of |a[j] − median| over the first `count` (≥ 1) entries of a sorted array, without sorting
 * the deviations: below the median they grow leftwards, above it rightwards, so the two runs are
 * merged from the median outwards up to the middle rank (the same values a sort would give).
 */
function medianDeviationSorted(a: Float64Array, count: number, median: number): number {
  // Left run: a[l], a[l−1], … (values ≤ median); right run: a[r], a[r+1], … (values > median).
  let r = 0;
  while (r < count && a[r]! <= median) r++;
  let l = r - 1;
  const hiRank = count >> 1;
  const loRank = count % 2 === 1 ? hiRank : hiRank - 1;
  let previous = 0;
  for (let rank = 0; rank <= hiRank; rank++) {
    let d: number;
    if (r >= count || (l >= 0 && median - a[l]! <= a[r]! - median)) d = Math.abs(a[l--]! - median);
    else d = Math.abs(a[r++]! - median);
    if (rank === loRank) previous = d;
    if (rank === hiRank) return loRank === hiRank ? d : (previous + d) / 2;
  }
  return previous;
}

/** Sorts a[0..4] in place with a 9-comparator sorting network. */
function sortFive(a: Float64Array): void {
  let a0 = a[0]!, a1 = a[1]!, a2 = a[2]!, a3 = a[3]!, a4 = a[4]!, t: number;
  t = Math.min(a0, a1); a1 = Math.max(a0, a1); a0 = t;
  t = Math.min(a3, a4); a4 = Math.max(a3, a4); a3 = t;
  t = Math.min(a2, a4); a4 = Math.max(a2, a4); a2 = t;
  t = Math.min(a2, a3); a3 = Math.max(a2, a3); a2 = t;
  t = Math.min(a0, a3); a3 = Math.max(a0, a3); a0 = t;
  t = Math.min(a0, a2); a2 = Math.max(a0, a2); a0 = t;
  t = Math.min(a1, a4); a4 = Math.max(a1, a4); a1 = t;
  t = Math.min(a1, a3); a3 = Math.max(a1, a3); a1 = t;
  t = Math.min(a1, a2); a2 = Math.max(a1, a2); a1 = t;
  a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4;
}

/**
 * {@link medianDeviationSorted} of five sorted values: the deviations are 0 (the median itself),
 * a ≤ b below and p ≤ q above, so the third smallest is the smaller of max(a, p) and min(b, q).
 */
function madOfSortedFive(a: Float64Array, median: number): number {
  const below1 = median - a[1]!;
  const below0 = median - a[0]!;
  const above3 = a[3]! - median;
  const above4 = a[4]! - median;
  return Math.min(Math.max(below1, above3), Math.min(below0, above4));
}

/** Median of the first `count` (≥ 1) entries, sorting them in place (insertion sort: windows are tiny). */
function medianInPlace(a: Float64Array, count: number): number {
  for (let i = 1; i < count; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) { a[j + 1] = a[j]!; j--; }
    a[j + 1] = x;
  }
  const mid = count >> 1;
  return count % 2 === 1 ? a[mid]! : (a[mid - 1]! + a[mid]!) / 2;
}
