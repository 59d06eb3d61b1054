import { describe, expect, it } from 'vitest';
import { scoreReviewFlags } from './review-flag-scores.js';

describe('scoreReviewFlags', () => {
  it('scores share, precision and recall on four segments', () => {
    const scores = scoreReviewFlags([
      { truth: 'Bus', finalLabel: 'Domicile', reviewReason: 'contradicts_declaration' }, // flagged, wrong
      { truth: 'Bureau', finalLabel: 'Bureau', reviewReason: 'low_confidence_no_gps' }, // flagged, right
      { truth: 'Walk', finalLabel: null, reviewReason: null }, // wrong (no label), missed
      { truth: 'Bureau', finalLabel: 'Bureau', reviewReason: null },
    ]);
    expect(scores).toEqual({
      segments: 4,
      flagged: 2,
      share: 0.5,
      wrong: 2,
      flaggedWrong: 1,
      precision: 0.5,
      recall: 0.5,
      byReason: { low_confidence_no_gps: { flagged: 1, flaggedWrong: 0 }, contradicts_declaration: { flagged: 1, flaggedWrong: 1 } },
    });
  });

  it('has no precision without flags and no recall without mistakes', () => {
    const scores = scoreReviewFlags([{ truth: 'Bus', finalLabel: 'Bus', reviewReason: null }]);
    expect([scores.share, scores.precision, scores.recall]).toEqual([0, Number.NaN, Number.NaN]);
  });
});
