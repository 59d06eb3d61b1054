import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { compactForest, forestVotes } from './compact-forest.js';
import { mulberry32 } from './train-forest.js';

describe('compactForest', () => {
  it('predicts the same labels and per-tree votes as ml-random-forest', () => {
    const random = mulberry32(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 120; i++) {
      const c = i % 3;
      y.push(c);
      x.push([c * 2 + random() * 3, random() * 10, c - random() * 2, random()]);
    }
    const rf = new RandomForestClassifier({ nEstimators: 15, seed: 11, maxFeatures: 0.75, replacement: false, noOOB: true, treeOptions: { maxDepth: 5 } });
    rf.train(x, y);
    const forest = compactForest(rf, 4, 3);
    const probe = Array.from({ length: 60 }, () => [random() * 7, random() * 10, random() * 4 - 2, random()]);
    const expected = rf.predict(probe);
    const perTree = rf.predictionValues(probe);
    const votes = new Float64Array(3);
    probe.forEach((row, i) => {
      expect(forestVotes(forest, row, votes)).toBe(expected[i]);
      const counts = [0, 0, 0];
      for (const c of perTree.getRow(i)) counts[c]!++;
      expect(Array.from(votes)).toEqual(counts);
    });
    expect(new Set(expected).size).toBe(3);
  });
});
