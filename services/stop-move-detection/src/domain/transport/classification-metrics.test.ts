import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';

describe('classificationMetrics', () => {
  it('computes accuracy, per-label scores, macro-F1 and the confusion matrix', () => {
    const m = classificationMetrics(['W', 'W', 'W', 'B', 'B', 'V'], ['W', 'W', 'B', 'B', 'V', 'V'], ['W', 'B', 'V']);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 10);
    expect(m.perLabel.map((l) => [l.label, l.precision, l.recall, l.support])).toEqual([
      ['W', 1, 2 / 3, 3],
      ['B', 0.5, 0.5, 2],
      ['V', 0.5, 1, 1],
    ]);
    // F1: W 0.8, B 0.5, V 2/3.
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
  });

  it('leaves labels absent from the truth out of macro-F1', () => {
    const m = classificationMetrics(['W', 'W'], ['W', 'B'], ['W', 'B']);
    expect(m.perLabel[1]).toEqual({ label: 'B', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo(2 / 3, 10);
  });
});
