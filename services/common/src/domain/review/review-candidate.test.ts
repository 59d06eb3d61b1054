import { describe, expect, it } from 'vitest';
import { reviewCandidate, wrongLabelProbability } from './review-candidate.js';

const params = { minConfidence: 0.6, declarationReliability: 0.9 };

describe('wrongLabelProbability', () => {
  it('is 1 − confidence without a declaration', () => {
    expect(wrongLabelProbability(0.7, 'Bus', null, 0.9)).toBeCloseTo(0.3, 12);
  });

  it('rises when the declaration disagrees and falls when it agrees (Bayes with a 90 % reliable declaration)', () => {
    // 0.3 × 0.9 / (0.3 × 0.9 + 0.7 × 0.1) = 0.27 / 0.34
    expect(wrongLabelProbability(0.7, 'Bus', 'Domicile', 0.9)).toBeCloseTo(0.27 / 0.34, 12);
    // 0.3 × 0.1 / (0.3 × 0.1 + 0.7 × 0.9) = 0.03 / 0.66
    expect(wrongLabelProbability(0.7, 'Bus', 'Bus', 0.9)).toBeCloseTo(0.03 / 0.66, 12);
  });

  it('is 0.5 when a 90 % confident label meets a 90 % reliable contradicting declaration', () => {
    expect(wrongLabelProbability(0.9, 'Bus', 'Domicile', 0.9)).toBeCloseTo(0.5, 12);
  });
});

describe('reviewCandidate', () => {
  it('flags a declaration in another group, whatever the evidence', () => {
    expect(reviewCandidate({ finalLabel: 'Bus', confidence: 0.95, declaredLabel: 'Bureau', gpsEvidence: true }, params).reason).toBe('contradicts_declaration');
  });

  it('does not call a disagreement within a group a contradiction', () => {
    expect(reviewCandidate({ finalLabel: 'Bus', confidence: 0.95, declaredLabel: 'Métro', gpsEvidence: false }, params).reason).toBeNull();
  });

  it('flags a low confidence from the sensors alone, not one the GPS backs', () => {
    expect(reviewCandidate({ finalLabel: 'Bureau', confidence: 0.4, declaredLabel: null, gpsEvidence: false }, params)).toEqual({ reason: 'low_confidence_no_gps', wrongProbability: 0.6 });
    expect(reviewCandidate({ finalLabel: 'Bureau', confidence: 0.4, declaredLabel: null, gpsEvidence: true }, params).reason).toBeNull();
    expect(reviewCandidate({ finalLabel: 'Bureau', confidence: 0.4, declaredLabel: 'Domicile', gpsEvidence: false }, params).reason).toBe('low_confidence_no_gps');
  });

  it('trusts a low-confidence label the volunteer declared too', () => {
    expect(reviewCandidate({ finalLabel: 'Bureau', confidence: 0.4, declaredLabel: 'Bureau', gpsEvidence: false }, params).reason).toBeNull();
  });

  it('is no candidate without a final label', () => {
    expect(reviewCandidate({ finalLabel: null, confidence: null, declaredLabel: 'Bureau', gpsEvidence: false }, params)).toEqual({ reason: null, wrongProbability: null });
  });
});
