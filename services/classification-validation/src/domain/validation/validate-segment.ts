import { defaultReviewCandidateParams, reviewCandidate, type CanonicalLabel, type ReviewCandidateParams, type ReviewReason } from '@polluscope/common/domain';

/** Review candidates on the sensor evidence alone (see reviewCandidate). */
export type SegmentValidationParams = ReviewCandidateParams;

export const defaultSegmentValidationParams: SegmentValidationParams = defaultReviewCandidateParams;

export interface SegmentValidation {
  /** `null` when nothing was declared. */
  readonly match: boolean | null;
  /**
   * A review candidate on the sensor evidence alone, before any budget: the stream classifies one
   * segment at a time and cannot see the day; the flag reviewers see is the timeline's.
   */
  readonly needsReview: boolean;
  readonly reviewReason: ReviewReason | null;
  /** Probability that the label is wrong, 0..1; null without a label. */
  readonly wrongProbability: number | null;
}

/**
 * Compares a prediction with the declaration: `match` = predicted equals declared (`null` without
 * a declaration); the review candidate as {@link reviewCandidate} decides it with no GPS evidence.
 *
 * @example validateSegment('Bus', 0.9, 'Domicile') // { match: false, needsReview: true, reviewReason: 'contradicts_declaration', wrongProbability: 0.5 }
 */
export function validateSegment(
  predicted: CanonicalLabel | null,
  confidence: number,
  declared: CanonicalLabel | null,
  params: SegmentValidationParams = defaultSegmentValidationParams,
): SegmentValidation {
  const match = declared === null ? null : predicted === declared;
  const candidate = reviewCandidate({ finalLabel: predicted, confidence, declaredLabel: declared, gpsEvidence: false }, params);
  return { match, needsReview: candidate.reason !== null, reviewReason: candidate.reason, wrongProbability: candidate.wrongProbability };
}
