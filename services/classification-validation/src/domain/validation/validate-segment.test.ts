import { describe, expect, it } from 'vitest';
import { validateSegment } from './validate-segment.js';

describe('validateSegment', () => {
  it('matches a confident prediction equal to the declaration', () => {
    expect(validateSegment('Bus', 0.9, 'Bus')).toEqual({ match: true, needsReview: false });
  });

  it('flags a disagreement, a low confidence, or no prediction', () => {
    expect(validateSegment('Bus', 0.9, 'Métro')).toEqual({ match: false, needsReview: true });
    expect(validateSegment('Bus', 0.59, 'Bus')).toEqual({ match: true, needsReview: true });
    expect(validateSegment('Bus', 0.6, null)).toEqual({ match: null, needsReview: false });
    expect(validateSegment(null, 0, null)).toEqual({ match: null, needsReview: true });
  });

  it('takes the threshold from the params', () => {
    expect(validateSegment('Bus', 0.7, 'Bus', { minConfidence: 0.8 })).toEqual({ match: true, needsReview: true });
  });
});
