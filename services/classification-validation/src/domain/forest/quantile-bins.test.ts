import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { compactForest, forestVotes } from './compact-forest.js';
import { binIndex, binRows, quantileEdges, rawThreshold, rawThresholdForest } from './quantile-bins.js';
import { mulberry32 } from './train-forest.js';

describe('quantileEdges', () => {
  it('cuts each feature at its quantiles, without repeats or an empty lowest bin', () => {
    expect(quantileEdges([[1], [2], [3], [4]], 2)).toEqual([[3]]);
    expect(quantileEdges([[1, 5], [2, 5], [3, 5], [4, 5], [5, 7], [6, 7], [7, 7], [8, 9]], 4)).toEqual([
      [3, 5, 7],
      [7],
    ]);
    expect(() => quantileEdges([[1]], 1)).toThrow(RangeError);
  });
});

describe('binIndex and binRows', () => {
  it('count the cuts at or below each value', () => {
    expect([0, 2, 3, 5, 8.9, 9, 100].map((v) => binIndex(v, [2, 5, 9]))).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(binIndex(4, [])).toBe(0);
    expect(binRows([[1, 10], [4, 30]], [[3], [20]])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});

describe('rawThreshold', () => {
  it('sends every value the way its bin goes', () => {
    const cuts = [2, 5, 9];
    for (const t of [0.5, 1, 1.5, 2, 2.5, 3]) {
      for (const v of [-1, 1.99, 2, 4, 5, 8, 9, 20]) expect(v < rawThreshold(t, cuts)).toBe(binIndex(v, cuts) < t);
    }
    expect(rawThreshold(1.5, cuts)).toBe(5);
    expect(rawThreshold(0, cuts)).toBe(Number.NEGATIVE_INFINITY);
    expect(rawThreshold(3.5, cuts)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('rawThresholdForest', () => {
  it('votes on raw rows as the library forest trained on bins votes on their bins', () => {
    const random = mulberry32(4);
    const x = Array.from({ length: 150 }, (_, i) => [(i % 3) * 2 + random() * 3, random() * 10, random()]);
    const y = x.map((_, i) => i % 3);
    const edges = quantileEdges(x, 8);
    const rf = new RandomForestClassifier({ nEstimators: 9, seed: 5, maxFeatures: 0.67, replacement: false, noOOB: true, treeOptions: { maxDepth: 6 } });
    rf.train(binRows(x, edges), y);
    const forest = rawThresholdForest(compactForest(rf, 3, 3), edges);
    const probe = Array.from({ length: 80 }, () => [random() * 8 - 0.5, random() * 11 - 0.5, random()]);
    const expected = rf.predict(binRows(probe, edges));
    const votes = new Float64Array(3);
    probe.forEach((row, i) => expect(forestVotes(forest, row, votes)).toBe(expected[i]));
    expect(new Set(expected).size).toBe(3);
  });
});
