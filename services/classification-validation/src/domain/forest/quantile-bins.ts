/**
 * Quantile binning of features before `ml-random-forest` trains on them. The library's CART takes
 * a candidate threshold at every class change along a feature's sorted values and scores each on
 * all the node's samples; binned values repeat, so with a suitable row order
 * ({@link splitSearchOrder}) the candidates fall to about bins × classes per feature. Trees are
 * trained on bin indices; {@link rawThreshold} turns their thresholds back into feature values, so
 * the stored forest takes raw features and sends every training sample the way training did.
 */
import type { CompactForest } from './compact-forest.js';

/**
 * Per feature, the ascending distinct cut values at the quantiles 1/bins … (bins−1)/bins of the
 * rows (fewer when values repeat). A value's bin is the number of cuts ≤ it ({@link binIndex}).
 *
 * @example quantileEdges([[1], [2], [3], [4]], 2) // [[3]]: bins {1, 2} and {3, 4}
 */
export function quantileEdges(x: readonly (readonly number[])[], bins: number): number[][] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be an integer ≥ 2, got ${bins}`);
  const featureCount = x[0]?.length ?? 0;
  const edges: number[][] = [];
  const column = new Float64Array(x.length);
  for (let f = 0; f < featureCount; f++) {
    for (let i = 0; i < x.length; i++) column[i] = x[i]![f]!;
    column.sort();
    // A cut is a sample value (the order statistic at ⌊b·n/bins⌋), not simple-statistics'
    // interpolated quantile, which would move the cuts and so the shipped model's thresholds.
    const cuts: number[] = [];
    for (let b = 1; b < bins; b++) {
      const cut = column[Math.floor((b * x.length) / bins)]!;
      // The lowest value as a cut would leave bin 0 empty.
      if (cut > column[0]! && (cuts.length === 0 || cut > cuts[cuts.length - 1]!)) cuts.push(cut);
    }
    edges.push(cuts);
  }
  return edges;
}

/**
 * Number of cuts ≤ value (binary search): 0 … cuts.length.
 *
 * @example binIndex(5, [2, 5, 9]) // 2
 */
export function binIndex(value: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Each row's features replaced by their bin indices.
 *
 * @example binRows([[1, 10], [4, 30]], [[3], [20]]) // [[0, 0], [1, 1]]
 */
export function binRows(x: readonly (readonly number[])[], edges: readonly (readonly number[])[]): number[][] {
  return x.map((row) => row.map((v, f) => binIndex(v, edges[f]!)));
}

/**
 * The raw threshold equivalent to a threshold on bin indices: for every value v,
 * `binIndex(v, cuts) < t` exactly when `v < rawThreshold(t, cuts)`. A threshold no bin is below
 * (t ≤ 0) gives −Infinity; one above every bin gives +Infinity.
 *
 * @example rawThreshold(1.5, [2, 5, 9]) // 5: bins 0 and 1 are the values below 5
 */
export function rawThreshold(t: number, cuts: readonly number[]): number {
  const bin = Math.ceil(t);
  if (bin <= 0) return Number.NEGATIVE_INFINITY;
  if (bin > cuts.length) return Number.POSITIVE_INFINITY;
  return cuts[bin - 1]!;
}

/**
 * A forest trained on bin indices, with each split's threshold turned into the feature value that
 * sends every raw value the way its bin went ({@link rawThreshold}).
 *
 * @example rawThresholdForest(forestOnBins, quantileEdges(x, 32)) // same votes on raw rows as forestOnBins on binRows(rows)
 */
export function rawThresholdForest(forest: CompactForest, edges: readonly (readonly number[])[]): CompactForest {
  const trees = forest.trees.map((tree) => ({
    ...tree,
    threshold: tree.threshold.map((t, node) => {
      const f = tree.feature[node]!;
      if (f < 0) return t;
      const raw = rawThreshold(t, edges[f]!);
      // The library only splits a node when both sides keep samples, so a threshold lies between two bins.
      if (!Number.isFinite(raw)) throw new RangeError(`split threshold ${t} on feature ${f} is outside its bins`);
      return raw;
    }),
  }));
  return { ...forest, trees };
}
