import { RandomForestClassifier } from 'ml-random-forest';
import { compactForest, type CompactForest } from './compact-forest.js';

export interface ForestParams {
  readonly nEstimators: number;
  /** Share (0…1] of the features each tree draws, without replacement (at least one). */
  readonly maxFeatureShare: number;
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf. */
  readonly minNumSamples: number;
  /**
   * At most this many samples train the forest, drawn class-proportionally (stratified, seeded),
   * so the classes keep their prior. The library's CART tries every class change of every drawn
   * feature at each node, O(n²) per node, so this cap bounds the training time.
   */
  readonly maxSamples: number;
}

export const defaultForestParams: ForestParams = Object.freeze({
  nEstimators: 12,
  maxFeatureShare: 0.5,
  maxDepth: 10,
  minNumSamples: 4,
  maxSamples: 300,
});

/**
 * Trains a random forest with `ml-random-forest` (bagged CART trees on Gini impurity, features
 * drawn per tree, majority vote) on a class-proportional sample of at most `maxSamples`, and
 * returns its compact form ({@link compactForest}: same splits and votes as the library's).
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
  const chosen = stratifiedSample(y, params.maxSamples, mulberry32(seed));
  const rf = new RandomForestClassifier({
    nEstimators: params.nEstimators,
    // A share that floors to 0 features would fail: take at least one.
    maxFeatures: Math.min(1, Math.max(params.maxFeatureShare, 1.000001 / featureCount)),
    replacement: false,
    seed: seed | 0,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
  });
  rf.train(chosen.map((i) => [...x[i]!]), chosen.map((i) => y[i]!));
  return compactForest(rf, featureCount, classCount);
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
