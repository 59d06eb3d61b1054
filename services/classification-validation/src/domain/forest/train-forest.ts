import { RandomForestClassifier } from 'ml-random-forest';
import { compactForest, type CompactForest } from './compact-forest.js';

export interface ForestParams {
  readonly nEstimators: number;
  /** Share (0…1] of the features each tree draws, without replacement. */
  readonly maxFeatureShare: number;
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf. */
  readonly minNumSamples: number;
  /**
   * At most this many samples per class (drawn at random with the seed) train the forest: the
   * library's CART costs O(n²) per node, and capping also balances the classes.
   */
  readonly maxSamplesPerClass: number;
}

export const defaultForestParams: ForestParams = Object.freeze({
  nEstimators: 20,
  maxFeatureShare: 0.6,
  maxDepth: 12,
  minNumSamples: 3,
  maxSamplesPerClass: 40,
});

/**
 * Trains a random forest with `ml-random-forest` (bagged CART trees, features drawn per tree)
 * on a per-class capped sample, and returns its compact form.
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
  const chosen = capPerClass(y, params.maxSamplesPerClass, seed);
  const rf = new RandomForestClassifier({
    nEstimators: params.nEstimators,
    // A share that floors to 0 features would fail: take at least one.
    maxFeatures: Math.min(1, Math.max(params.maxFeatureShare, 1.000001 / featureCount)),
    replacement: false,
    seed,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
  });
  rf.train(chosen.map((i) => [...x[i]!]), chosen.map((i) => y[i]!));
  return compactForest(rf, featureCount, classCount);
}

/** Indices of at most `cap` samples per class, drawn by a seeded shuffle, in ascending order. */
function capPerClass(y: readonly number[], cap: number, seed: number): number[] {
  const random = mulberry32(seed);
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => {
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  });
  const chosen: number[] = [];
  for (const list of byClass.values()) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    chosen.push(...list.slice(0, cap));
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
