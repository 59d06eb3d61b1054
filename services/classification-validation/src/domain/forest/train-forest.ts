import { RandomForestClassifier } from 'ml-random-forest';
import { compactForest, type CompactForest } from './compact-forest.js';
import { binRows, quantileEdges, rawThresholdForest } from './quantile-bins.js';
import { splitSearchOrder } from './split-search-order.js';
import { mulberry32 } from '@polluscope/common/domain';

export interface ForestParams {
  /**
   * Class-weighted bootstrap samples drawn; each trains one `ml-random-forest` forest of
   * `treesPerSample` trees, and their trees together make the forest. Many small samples let the
   * trees see most of the data although the library's CART costs O(n²) per node.
   */
  readonly samples: number;
  readonly treesPerSample: number;
  /** Size of each sample; a sample never outnumbers the data. */
  readonly sampleSize: number;
  /**
   * A class's share of each sample is proportional to its count to this power: 1 keeps the class
   * prior, 0.5 (square root) shows the rare classes more often, 0 balances them.
   */
  readonly classWeightExponent: number;
  /** Share (0…1] of the features each tree draws, without replacement (at least one). */
  readonly maxFeatureShare: number;
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf. */
  readonly minNumSamples: number;
  /** Quantile bins per feature the trees split on ({@link quantileEdges}); 0 trains on raw values. */
  readonly bins: number;
  /** Share of each sample handed to the library in random order before the rest, grouped by class ({@link splitSearchOrder}). */
  readonly headShare: number;
}

export const defaultForestParams: ForestParams = Object.freeze({
  samples: 12,
  treesPerSample: 1,
  sampleSize: 300,
  classWeightExponent: 1,
  maxFeatureShare: 0.5,
  maxDepth: 10,
  minNumSamples: 4,
  bins: 32,
  headShare: 0.1,
});

/**
 * Trains a random forest with `ml-random-forest` (CART trees on Gini impurity, features drawn per
 * tree, majority vote): `samples` class-weighted bootstraps of `sampleSize` rows (at most the
 * data's count), each training a library forest (its own sample bagging off: the bootstrap is
 * ours, and so is the row order, {@link splitSearchOrder}) on quantile-binned features; the trees are joined and their thresholds mapped back to feature
 * values ({@link rawThresholdForest}), so the forest takes raw features.
 *
 * @example trainForest([[1], [2], [9]], [0, 0, 1], 2, defaultForestParams, 42)
 * @param y class indices in [0, classCount).
 * @param seed 32-bit integer; the same seed and data give the same forest.
 */
export function trainForest(
  x: readonly (readonly number[])[],
  y: readonly number[],
  classCount: number,
  params: ForestParams,
  seed: number,
): CompactForest {
  const featureCount = x[0]?.length ?? 0;
  if (x.length === 0 || featureCount === 0) throw new RangeError('trainForest needs at least one sample with features');
  const edges = params.bins > 0 ? quantileEdges(x, params.bins) : null;
  const rows = edges ? binRows(x, edges) : x.map((r) => [...r]);
  const random = mulberry32(seed);
  const trees: CompactForest['trees'] = [];
  for (let s = 0; s < params.samples; s++) {
    const drawn = classWeightedBootstrap(y, Math.min(params.sampleSize, y.length), params.classWeightExponent, random);
    const order = splitSearchOrder(drawn.map((i) => y[i]!), params.headShare, random).map((j) => drawn[j]!);
    const rf = new RandomForestClassifier({
      nEstimators: params.treesPerSample,
      // A share that floors to 0 features would fail: take at least one.
      maxFeatures: Math.min(1, Math.max(params.maxFeatureShare, 1.000001 / featureCount)),
      replacement: false,
      seed: Math.floor(random() * 2 ** 31),
      useSampleBagging: false,
      noOOB: true,
      treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
    });
    rf.train(order.map((i) => rows[i]!), order.map((i) => y[i]!));
    trees.push(...compactForest(rf, featureCount, classCount).trees);
  }
  const forest = { featureCount, classCount, trees };
  return edges ? rawThresholdForest(forest, edges) : forest;
}

/**
 * Indices of a bootstrap (drawn with replacement) of `size` samples in which class c has
 * round(size · n_c^exponent / Σ n^exponent) samples, at least one: exponent 1 keeps the prior.
 *
 * @example classWeightedBootstrap([0, 0, 0, 1], 4, 0, mulberry32(1)) // two of class 0, two of class 1 (index 3 twice)
 */
export function classWeightedBootstrap(y: readonly number[], size: number, exponent: number, random: () => number): number[] {
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => {
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const weight = classes.map((c) => byClass.get(c)!.length ** exponent);
  const total = weight.reduce((a, b) => a + b, 0);
  const drawn: number[] = [];
  classes.forEach((c, k) => {
    const list = byClass.get(c)!;
    const quota = Math.max(1, Math.round((size * weight[k]!) / total));
    for (let i = 0; i < quota; i++) drawn.push(list[Math.floor(random() * list.length)]!);
  });
  return drawn;
}

/** The seeded generator training draws from (shared with the tests that replay a seed). */
export { mulberry32 };
