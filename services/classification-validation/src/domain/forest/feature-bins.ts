/**
 * Candidate split thresholds per feature for the histogram CART of {@link growTree}: a feature's
 * values are mapped once to bins, so finding a node's best split costs one pass over its samples
 * plus one over the bins, instead of a sort (or the O(n²) scan of ml-cart) per node.
 */

export interface FeatureBins {
  /** Per feature, ascending thresholds; bin b holds values with exactly b thresholds ≤ value. */
  readonly thresholds: readonly Float64Array[];
  /** binOf[f][s]: bin of sample s for feature f. */
  readonly binOf: readonly Uint16Array[];
}

/**
 * Bins each feature of the given samples: with at most `maxBins` distinct values, a threshold
 * halfway between each pair of consecutive values (exactly CART's candidates); otherwise at the
 * sample quantiles k/maxBins, each halfway between a quantile value and the next lower distinct value.
 * A split "bin < b" is then the same as "value < thresholds[b − 1]", the test trees use.
 *
 * @example featureBins([[1], [2], [2], [5]], [0, 1, 2, 3], 16).thresholds[0] // Float64Array [1.5, 3.5]
 * @param rows the samples' feature vectors (finite numbers).
 * @param indices the samples to bin (rows outside are not read; their bins are left 0).
 */
export function featureBins(rows: readonly ArrayLike<number>[], indices: readonly number[], maxBins: number): FeatureBins {
  const featureCount = rows[indices[0] ?? 0]?.length ?? 0;
  const thresholds: Float64Array[] = [];
  const binOf: Uint16Array[] = [];
  const values = new Float64Array(indices.length);
  for (let f = 0; f < featureCount; f++) {
    for (let i = 0; i < indices.length; i++) values[i] = rows[indices[i]!]![f]!;
    const sorted = values.slice().sort();
    const cuts: number[] = [];
    const distinct = countDistinct(sorted);
    if (distinct <= maxBins) {
      for (let i = 1; i < sorted.length; i++) if (sorted[i]! !== sorted[i - 1]!) cuts.push((sorted[i - 1]! + sorted[i]!) / 2);
    } else {
      for (let q = 1; q < maxBins; q++) {
        let pos = Math.floor((q * sorted.length) / maxBins);
        const v = sorted[pos]!;
        while (pos > 0 && sorted[pos - 1]! === v) pos--;
        if (pos === 0) continue;
        const cut = (sorted[pos - 1]! + v) / 2;
        if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
      }
    }
    const t = Float64Array.from(cuts);
    const bins = new Uint16Array(rows.length);
    for (const s of indices) bins[s] = binIndex(t, rows[s]![f]!);
    thresholds.push(t);
    binOf.push(bins);
  }
  return { thresholds, binOf };
}

/** Number of thresholds ≤ x (binary search). */
function binIndex(thresholds: Float64Array, x: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (thresholds[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countDistinct(sorted: Float64Array): number {
  let n = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! !== sorted[i - 1]!) n++;
  return n;
}
