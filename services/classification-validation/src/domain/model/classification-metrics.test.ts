import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';

describe('classificationMetrics', () => {
  it('gives accuracy, macro-F1 over true labels and the confusion matrix', () => {
    const m = classificationMetrics(['A', 'A', 'B', 'B', 'C'], ['A', 'B', 'B', 'B', null], ['A', 'B', 'C']);
    expect(m.accuracy).toBe(0.6);
    // F1: A = 2·1/(2+1) = 2/3, B = 2·2/(2+3) = 4/5, C = 0.
    expect(m.f1).toEqual({ A: 2 / 3, B: 4 / 5, C: 0 });
    expect(m.precision).toEqual({ A: 1, B: 2 / 3, C: 0 });
    expect(m.recall).toEqual({ A: 1 / 2, B: 1, C: 0 });
    expect(m.support).toEqual({ A: 2, B: 2, C: 1 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 4 / 5) / 3, 12);
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [0, 0, 0],
    ]);
  });
});
