import type { CanonicalLabel } from '@polluscope/common/domain';

export interface SegmentValidationParams {
  /** Below this confidence a segment needs review. */
  readonly minConfidence: number;
}

export const defaultSegmentValidationParams: SegmentValidationParams = Object.freeze({ minConfidence: 0.6 });

export interface SegmentValidation {
  /** `null` when nothing was declared. */
  readonly match: boolean | null;
  readonly needsReview: boolean;
}

/**
 * Compares a prediction with the declaration: `match` = predicted equals declared (`null` without
 * a declaration); `needsReview` = confidence below the threshold, a disagreement, or no prediction.
 *
 * @example validateSegment('Bus', 0.9, 'Métro') // { match: false, needsReview: true }
 */
export function validateSegment(
  predicted: CanonicalLabel | null,
  confidence: number,
  declared: CanonicalLabel | null,
  params: SegmentValidationParams = defaultSegmentValidationParams,
): SegmentValidation {
  const match = declared === null ? null : predicted === declared;
  return { match, needsReview: predicted === null || confidence < params.minConfidence || match === false };
}
