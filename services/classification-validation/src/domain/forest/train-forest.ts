import type { CompactForest } from './compact-forest.js';
import { featureBins } from './feature-bins.js';
import { growTree } from './grow-tree.js';

export interface ForestParams {
  readonly nEstimators: number;
  /** Share (0…1] of the features each node draws, without replacement (at least one). */
  readonly maxFeatureShare: number;
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf. */
  readonly minNumSamples: number;
  /**
   * At most this many samples train the forest, drawn class-proportionally (stratified, seeded),
   * so the classes keep their prior; each tree then draws a bootstrap of that size.
   */
  readonly maxSamples: number;
  /** Candidate thresholds per feature: at most this many bins (quantiles of the training values). */
  readonly maxBins: number;
}

export const defaultForestParams: ForestParams = Object.freeze({
  nEstimators: 40,
  maxFeatureShare: 0.35,
  maxDepth: 14,
  minNumSamples: 4,
  maxSamples: 20_000,
  maxBins: 64,
});

/**
 * Trains a random forest: bootstrap samples, CART trees on Gini impurity with features drawn at
 * each node ({@link growTree}, on {@link featureBins}), majority vote. Pure and seeded.
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
  const random = mulberry32(seed);
  const chosen = stratifiedSample(y, params.maxSamples, random);
  const bins = featureBins(x, chosen, params.maxBins);
  const labels = Int32Array.from(y);
  const featuresPerNode = Math.max(1, Math.round(params.maxFeatureShare * featureCount));
  const trees = [];
  for (let t = 0; t < params.nEstimators; t++) {
    const bootstrap = new Array<number>(chosen.length);
    for (let i = 0; i < chosen.length; i++) bootstrap[i] = chosen[Math.floor(random() * chosen.length)]!;
    trees.push(growTree(bins, labels, classCount, bootstrap, { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples, featuresPerNode }, random));
  }
  return { featureCount, classCount, trees };
}

/**
 * Indices of at most `max` samples, ascending: all of them when there are no more; otherwise each
 * class keeps round(max · its share) samples (at least one), drawn by a seeded shuffle.
 *
 * @example stratifiedSample([0, 0, 0, 1], 2, mulberry32(1)) // two indices: one of class 0, the one of class 1
 */
export function stratifiedSample(y: readonly number[], max: number, random: () => number): number[] {
  if (y.length <= max) return y.map((_, i) => i);
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => {
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  });
  const chosen: number[] = [];
  for (const list of [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    chosen.push(...list.slice(0, Math.max(1, Math.round((max * list.length) / y.length))));
  }
  return chosen.sort((a, b) => a - b);
}

/** A small seeded PRNG (mulberry32), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
