import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { forestVotes } from './compact-forest.js';
import { defaultForestParams, mulberry32, stratifiedSample, trainForest } from './train-forest.js';

describe('stratifiedSample', () => {
  it('keeps every sample under the cap and the class shares above it', () => {
    expect(stratifiedSample([0, 1, 1], 5, mulberry32(1))).toEqual([0, 1, 2]);
    const y = [...Array<number>(80).fill(0), ...Array<number>(20).fill(1)];
    const chosen = stratifiedSample(y, 10, mulberry32(1));
    expect(chosen).toHaveLength(10);
    expect(chosen.filter((i) => y[i] === 1)).toHaveLength(2);
  });
});

describe('trainForest', () => {
  it('learns a threshold and is deterministic for a seed', () => {
    const x = Array.from({ length: 60 }, (_, i) => [i % 30, (i * 7) % 11]);
    const y = x.map(([a]) => (a! < 12 ? 0 : 1));
    const forest = trainForest(x, y, 2, { ...defaultForestParams, nEstimators: 9 }, 3);
    const votes = new Float64Array(2);
    expect(forestVotes(forest, [3, 5], votes)).toBe(0);
    expect(forestVotes(forest, [25, 5], votes)).toBe(1);
    expect(JSON.stringify(trainForest(x, y, 2, { ...defaultForestParams, nEstimators: 9 }, 3))).toBe(JSON.stringify(forest));
  });

  it('is the ml-random-forest forest with the same options and seed, under the sample cap', () => {
    const random = mulberry32(5);
    const x = Array.from({ length: 90 }, (_, i) => [(i % 3) * 2 + random() * 3, random() * 10, random()]);
    const y = x.map((_, i) => i % 3);
    const params = { ...defaultForestParams, nEstimators: 11, maxFeatureShare: 0.67, maxDepth: 6 };
    const forest = trainForest(x, y, 3, params, 17);
    const rf = new RandomForestClassifier({
      nEstimators: 11,
      maxFeatures: 0.67,
      replacement: false,
      seed: 17,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: { maxDepth: 6, minNumSamples: params.minNumSamples },
    });
    rf.train(x, y);
    const probe = Array.from({ length: 40 }, () => [random() * 7, random() * 10, random()]);
    const expected = rf.predict(probe);
    const votes = new Float64Array(3);
    probe.forEach((row, i) => expect(forestVotes(forest, row, votes)).toBe(expected[i]));
  });

  it('trains on a class-proportional sample of at most maxSamples', () => {
    const x = Array.from({ length: 400 }, (_, i) => [i % 100, (i * 13) % 7]);
    const y = x.map(([a]) => (a! < 80 ? 0 : 1));
    const forest = trainForest(x, y, 2, { ...defaultForestParams, nEstimators: 5, maxFeatureShare: 1, maxSamples: 50, minNumSamples: 1, maxDepth: 20 }, 9);
    const votes = new Float64Array(2);
    expect(forestVotes(forest, [10, 3], votes)).toBe(0);
    expect(forestVotes(forest, [95, 3], votes)).toBe(1);
    // A bootstrap of 50 samples cannot give a tree more than 49 splits.
    for (const tree of forest.trees) expect(tree.feature.filter((f) => f >= 0).length).toBeLessThan(50);
  });
});
