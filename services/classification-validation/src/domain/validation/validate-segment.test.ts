import { describe, expect, it } from 'vitest';
import { validateSegment } from './validate-segment.js';

describe('validateSegment', () => {
  it('matches a confident prediction equal to the declaration', () => {
    expect(validateSegment('Bus', 0.9, 'Bus')).toMatchObject({ match: true, needsReview: false, reviewReason: null });
  });

  it('makes a candidate of a contradiction across groups and of a low confidence, not of a disagreement within a group', () => {
    expect(validateSegment('Bus', 0.9, 'Domicile')).toMatchObject({ match: false, needsReview: true, reviewReason: 'contradicts_declaration' });
    expect(validateSegment('Bus', 0.9, 'Métro')).toMatchObject({ match: false, needsReview: false, reviewReason: null });
    expect(validateSegment('Bus', 0.59, null)).toMatchObject({ match: null, needsReview: true, reviewReason: 'low_confidence_no_gps' });
    expect(validateSegment('Bus', 0.59, 'Bus')).toMatchObject({ match: true, needsReview: false });
    expect(validateSegment(null, 0, null)).toEqual({ match: null, needsReview: false, reviewReason: null, wrongProbability: null });
  });

  it('takes the threshold from the params', () => {
    expect(validateSegment('Bus', 0.7, null, { minConfidence: 0.8, declarationReliability: 0.9 })).toMatchObject({ needsReview: true, wrongProbability: expect.closeTo(0.3, 12) });
  });
});
