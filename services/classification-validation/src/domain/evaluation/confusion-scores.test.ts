import { describe, expect, it } from 'vitest';
import { confusionCounts } from './confusion-counts.js';
import { confusionScores } from './confusion-scores.js';

const sameGroup = () => 'all';

describe('confusionScores', () => {
  it('scores a 3-label case whose answers are known by hand', () => {
    // A: 4 of 4 right; B: 1 of 2 (one called A); C: 0 of 2 (both called A).
    const truth = ['A', 'A', 'A', 'A', 'B', 'B', 'C', 'C'];
    const predicted = ['A', 'A', 'A', 'A', 'B', 'A', 'A', 'A'];
    const s = confusionScores(confusionCounts(truth, predicted, ['A', 'B', 'C']), ['A', 'B', 'C'], sameGroup);
    expect(s.segments).toBe(8);
    expect(s.accuracy).toBe(5 / 8);
    // recalls 1, 1/2, 0
    expect(s.balancedAccuracy).toBe(0.5);
    // F1 = 2 tp / (true + predicted): A 8/11, B 2/3, C 0
    expect(s.f1).toEqual({ A: 8 / 11, B: 2 / 3, C: 0 });
    expect(s.macroF1).toBeCloseTo((8 / 11 + 2 / 3) / 3, 12);
    expect(s.support).toEqual({ A: 4, B: 2, C: 2 });
  });

  it('gives the majority answer 1 / labels present in balanced accuracy however large the majority', () => {
    const truth = [...new Array<string>(98).fill('Domicile'), 'Walk', 'Bus'];
    const s = confusionScores(confusionCounts(truth, truth.map(() => 'Domicile'), ['Domicile', 'Walk', 'Bus']), ['Domicile', 'Walk', 'Bus'], sameGroup);
    expect(s.accuracy).toBe(0.98);
    expect(s.balancedAccuracy).toBe(1 / 3);
  });

  it('counts a label in the right group as right at group level', () => {
    const groups: Record<string, string> = { Domicile: 'indoor', Bureau: 'indoor', Walk: 'outdoor', Bus: 'transport' };
    const labels = ['Domicile', 'Bureau', 'Walk', 'Bus'];
    const counts = confusionCounts(['Domicile', 'Bureau', 'Walk', 'Bus'], ['Bureau', 'Domicile', 'Walk', 'Walk'], labels);
    const s = confusionScores(counts, labels, (l) => groups[l]!);
    expect(s.accuracy).toBe(0.25);
    expect(s.groupAccuracy).toBe(0.75);
  });

  it('leaves labels absent from the truth out of the averages and counts unlabelled segments wrong', () => {
    const s = confusionScores(confusionCounts(['A', 'A'], ['A', null], ['A', 'B']), ['A', 'B'], sameGroup);
    expect(s.f1).toEqual({ A: 2 / 3 });
    expect(s.balancedAccuracy).toBe(0.5);
    expect(s.groupAccuracy).toBe(0.5);
  });

  it('is zeros for no segments', () => {
    expect(confusionScores([[0, 0]], ['A'], sameGroup)).toMatchObject({ segments: 0, accuracy: 0, balancedAccuracy: 0, macroF1: 0, f1: {} });
  });
});
