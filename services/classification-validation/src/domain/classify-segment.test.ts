import { describe, expect, it } from 'vitest';
import { classifySegment, defaultClassifySegmentParams } from './classify-segment.js';
import { trainActivityModel } from './model/train-activity-model.js';
import { environmentMinutes, fastTraining, separableSamples, T0_MS } from './test-fixtures.js';

describe('classifySegment', () => {
  const model = trainActivityModel(separableSamples(3, 8), fastTraining);

  it('classifies, applies the time-of-day rules and validates against the declaration', () => {
    // Tuesday 09:00 in Paris: with the rules applied to every label, as the original, a Domicile
    // prediction becomes Bureau; the volunteer declared Domicile.
    const always = { ...defaultClassifySegmentParams, rules: { ...defaultClassifySegmentParams.rules!, belowConfidence: null } };
    const result = classifySegment(T0_MS, environmentMinutes('Domicile', 0, 3), model, always);
    expect(result).toMatchObject({
      segmentStartMs: T0_MS,
      segmentEndMs: T0_MS + 300_000,
      modelLabel: 'Domicile',
      label: 'Bureau',
      rule: 'office-hours',
      declaredLabel: 'Domicile',
      match: false,
      minutes: 5,
    });
    // Bureau and Domicile are both indoor: no contradiction; a candidate only if unsure.
    expect(result.reviewReason).toBe(result.confidence < 0.6 ? 'low_confidence_no_gps' : null);
  });

  it('keeps a label the model is sure of under the default rules', () => {
    const result = classifySegment(T0_MS, environmentMinutes('Domicile', 0, 3), model);
    expect(result.confidence).toBeGreaterThanOrEqual(0.6);
    expect(result).toMatchObject({ modelLabel: 'Domicile', label: 'Domicile', rule: null, declaredLabel: 'Domicile', match: true, needsReview: false });
  });

  it('matches a declared label when the rules are off', () => {
    const rows = environmentMinutes('Bus', 0, 4).map((r, i) => ({ ...r, activity: i < 3 ? 'Bus' : 'Inconnu' }));
    const result = classifySegment(T0_MS, rows, model, { ...defaultClassifySegmentParams, rules: null });
    expect(result).toMatchObject({ label: 'Bus', rule: null, declaredLabel: 'Bus', match: true });
    // The volunteer declared the label: trusted, whatever the confidence.
    expect(result).toMatchObject({ needsReview: false, reviewReason: null });
  });
});
