import { describe, expect, it } from 'vitest';
import { addConfusionCounts, confusionCounts } from './confusion-counts.js';

describe('confusionCounts', () => {
  it('counts true against predicted, unlabelled and unknown predictions in the last column', () => {
    expect(confusionCounts(['A', 'A', 'B', 'B', 'C'], ['A', 'B', 'B', null, 'Z'], ['A', 'B', 'C'])).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 0, 1],
    ]);
  });

  it('is empty rows for no segments and refuses a true label outside the list', () => {
    expect(confusionCounts([], [], ['A'])).toEqual([[0, 0]]);
    expect(() => confusionCounts(['Q'], ['A'], ['A'])).toThrow(/"Q"/);
  });
});

describe('addConfusionCounts', () => {
  it('adds cell by cell', () => {
    expect(addConfusionCounts([[[1, 0], [2, 3]], [[0, 4], [1, 1]]])).toEqual([[1, 4], [3, 4]]);
  });
});
