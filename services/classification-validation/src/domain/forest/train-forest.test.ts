import { describe, expect, it } from 'vitest';
import { forestVotes } from './compact-forest.js';
import { classWeightedBootstrap, defaultForestParams, mulberry32, trainForest } from './train-forest.js';

describe('classWeightedBootstrap', () => {
  const y = [...Array<number>(90).fill(0), ...Array<number>(10).fill(1)];
  const perClass = (drawn: number[]) => [drawn.filter((i) => y[i] === 0).length, drawn.filter((i) => y[i] === 1).length];

  it('keeps the class prior with exponent 1 and balances the classes with 0', () => {
    expect(perClass(classWeightedBootstrap(y, 20, 1, mulberry32(1)))).toEqual([18, 2]);
    expect(perClass(classWeightedBootstrap(y, 20, 0, mulberry32(1)))).toEqual([10, 10]);
    // Square root: 90^0.5 : 10^0.5 = 3 : 1.
    expect(perClass(classWeightedBootstrap(y, 20, 0.5, mulberry32(1)))).toEqual([15, 5]);
  });

  it('draws with replacement, at least one sample per class, reproducibly', () => {
    const drawn = classWeightedBootstrap([0, 0, 0, 1], 8, 0, mulberry32(2));
    expect(drawn.filter((i) => i === 3)).toHaveLength(4);
    expect(perClass(classWeightedBootstrap(y, 5, 1, mulberry32(1)))).toEqual([5, 1]);
    expect(classWeightedBootstrap(y, 20, 0.5, mulberry32(9))).toEqual(classWeightedBootstrap(y, 20, 0.5, mulberry32(9)));
  });
});

describe('trainForest', () => {
  const x = Array.from({ length: 400 }, (_, i) => [i % 100, (i * 13) % 7]);
  const y = x.map(([a]) => (a! < 80 ? 0 : 1));

  it('learns a threshold on raw values and is deterministic for a seed', () => {
    const params = { ...defaultForestParams, samples: 5, treesPerSample: 2, sampleSize: 120, maxFeatureShare: 1 };
    const forest = trainForest(x, y, 2, params, 3);
    expect(forest.trees).toHaveLength(10);
    const votes = new Float64Array(2);
    expect(forestVotes(forest, [10, 3], votes)).toBe(0);
    expect(forestVotes(forest, [95, 3], votes)).toBe(1);
    expect(JSON.stringify(trainForest(x, y, 2, params, 3))).toBe(JSON.stringify(forest));
    expect(JSON.stringify(trainForest(x, y, 2, params, 4))).not.toBe(JSON.stringify(forest));
  });

  it('splits on raw values whether it bins or not', () => {
    // Classes change at a0 = 50, which is also the cut between bins 7 and 8 of 16.
    const y50 = x.map(([a]) => (a! < 50 ? 0 : 1));
    for (const bins of [0, 16]) {
      const forest = trainForest(x, y50, 2, { ...defaultForestParams, samples: 3, sampleSize: 200, maxFeatureShare: 1, bins }, 5);
      for (const tree of forest.trees) {
        expect(tree.feature[0]).toBe(0);
        expect(tree.threshold[0]).toBeGreaterThan(49);
        expect(tree.threshold[0]).toBeLessThanOrEqual(50);
      }
    }
  });

  it('grows each tree on one sample of sampleSize rows', () => {
    const forest = trainForest(x, y, 2, { ...defaultForestParams, samples: 4, sampleSize: 30, maxFeatureShare: 1, minNumSamples: 1, maxDepth: 20, bins: 0 }, 9);
    // 30 rows cannot give a tree more than 29 splits.
    for (const tree of forest.trees) expect(tree.feature.filter((f) => f >= 0).length).toBeLessThan(30);
  });
});
