import { describe, expect, it } from 'vitest';
import { formatEvaluation, type EvaluationReport } from './evaluate.js';

const interval = (estimate: number, low: number, high: number) => ({ estimate, low, high, resamples: 10 });

describe('formatEvaluation', () => {
  it('prints the overall figures per method, F1 per label with its true count, and the confusion matrix', () => {
    const scored = (accuracy: number) => ({
      segments: 3,
      participants: 2,
      figures: {
        accuracy: interval(accuracy, 0.5, 1),
        'balanced accuracy': interval(0.5, 0.5, 0.5),
        'group accuracy': interval(1, 1, 1),
        'macro-F1': interval(0.4, 0, 0.8),
        'f1 Domicile': interval(0.8, 0.667, 1),
        'f1 Bureau': interval(0, Number.NaN, Number.NaN),
      },
      confusion: [
        [2, 0, 0],
        [1, 0, 0],
      ],
    });
    const report: EvaluationReport = {
      sensors: 's.csv',
      truth: 't.csv',
      participants: 2,
      segments: 3,
      declaredSegments: 3,
      wrongDeclarations: 1,
      folds: 2,
      trainingSeed: 42,
      bootstrap: { resamples: 10, seed: 1, level: 0.95 },
      pretrainedModel: null,
      labels: ['Domicile', 'Bureau'],
      methods: { majority: scored(0.667), 'model-rules': scored(1) },
      exposure: {
        pollutant: 'pm25',
        participantDays: 2,
        methods: { majority: { misattributed: interval(0.25, 0.1, 0.4), 'share error Domicile': interval(0.25, 0.1, 0.4), 'share error Bureau': interval(0.25, 0.1, 0.4) } },
      },
      review: {
        candidate: { minConfidence: 0.6, declarationReliability: 0.9 },
        budget: { maxShare: 0.05, minWrongProbability: 0.5 },
        methods: {
          'model-rules': {
            segments: 40, flagged: 2, share: 0.05, wrong: 4, flaggedWrong: 1, precision: 0.5, recall: 0.25,
            byReason: { low_confidence_no_gps: { flagged: 2, flaggedWrong: 1 }, contradicts_declaration: { flagged: 0, flaggedWrong: 0 } },
          },
        },
      },
      seconds: 2.4,
    };
    const text = formatEvaluation(report);
    expect(text).toContain('2 participants in 2 folds, 3 segments scored on the truth');
    expect(text).toContain('3 declared segments, 1 of them declared otherwise than the truth');
    expect(text).toMatch(/^majority +0\.667 \[0\.500, 1\.000\] +0\.500 \[0\.500, 0\.500\] +1\.000 \[1\.000, 1\.000\] +0\.400 \[0\.000, 0\.800\] +0\.250 \[0\.100, 0\.400\]$/m);
    expect(text).toContain('(2 participant-days;');
    expect(text).toMatch(/^Bureau +0\.250 \[0\.100, 0\.400\] +—$/m);
    expect(text).toMatch(/^model-rules +1\.000 \[0\.500, 1\.000\]/m);
    expect(text).toMatch(/^Domicile: 2 +0\.800 \[0\.667, 1\.000\] +0\.800 \[0\.667, 1\.000\]$/m);
    expect(text).toMatch(/^Bureau: 1 +0\.000 \[\?, \?\]/m);
    expect(text).toContain('confusion matrix of model-rules');
    expect(text).toMatch(/^ +Bureau +1 +0 +0$/m);
    expect(text).toContain('budget 0.05 of each participant-day (rounded down), wrong probability ≥ 0.5');
    expect(text).toContain('model-rules: 2 of 40 segments flagged (5.0 %); precision 50.0 % (1 flagged with a wrong final label), recall 25.0 % (of 4 wrong final labels)');
    expect(text).toMatch(/^ +contradicts_declaration: 0 flagged, 0 wrong \(precision —\)$/m);
    expect(text.endsWith('2 s')).toBe(true);
  });
});
