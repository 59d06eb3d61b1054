import { describe, expect, it } from 'vitest';
import { forestVotes } from './compact-forest.js';
import { featureBins } from './feature-bins.js';
import { defaultForestParams, mulberry32, stratifiedSample, trainForest } from './train-forest.js';

describe('featureBins', () => {
  it('puts CART thresholds halfway between distinct values', () => {
    const bins = featureBins([[1], [2], [2], [5]], [0, 1, 2, 3], 16);
    expect(Array.from(bins.thresholds[0]!)).toEqual([1.5, 3.5]);
    expect(Array.from(bins.binOf[0]!)).toEqual([0, 1, 1, 2]);
  });
});

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
});
