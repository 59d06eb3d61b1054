import { labelGroup, type CanonicalLabel } from '../labels.js';

/**
 * Why a segment is put before a reviewer (docs/design.md §5.2): its final label rests on the sensors
 * alone with a low confidence, or it puts the volunteer in another group (indoor, outdoor,
 * transport) than the one they declared. Both are mistakes a person can see on a map or a diary.
 */
export const REVIEW_REASONS = ['low_confidence_no_gps', 'contradicts_declaration'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface ReviewEvidence {
  /** The label the pipeline answers for the segment (null: none, never a candidate). */
  readonly finalLabel: CanonicalLabel | null;
  /** Probability the pipeline gives that label, 0..1 (null is read as 0). */
  readonly confidence: number | null;
  readonly declaredLabel: CanonicalLabel | null;
  /** A GPS move or stop decided the label (timeline source `gps` or `stop`). */
  readonly gpsEvidence: boolean;
}

export interface ReviewCandidateParams {
  /** Below this confidence a label from the sensors alone is a candidate, 0..1. */
  readonly minConfidence: number;
  /** Probability that a volunteer's declaration is right, 0..1 (the simulator's are 94 % right). */
  readonly declarationReliability: number;
}

export const defaultReviewCandidateParams: ReviewCandidateParams = Object.freeze({ minConfidence: 0.6, declarationReliability: 0.9 });

export interface ReviewCandidate {
  /** Null when the segment is no candidate. */
  readonly reason: ReviewReason | null;
  /** Probability that the final label is wrong, 0..1; null without a final label. */
  readonly wrongProbability: number | null;
}

/**
 * Probability that the final label is wrong given its confidence c and the declaration, with the
 * declaration right with probability q (Bayes, the confidence read as calibrated): no declaration
 * → 1 − c; declared = final → (1−c)(1−q) / ((1−c)(1−q) + cq); declared ≠ final →
 * (1−c)q / ((1−c)q + c(1−q)).
 *
 * @example wrongLabelProbability(0.7, 'Bus', 'Domicile', 0.9) // 0.794
 */
export function wrongLabelProbability(confidence: number, finalLabel: CanonicalLabel, declaredLabel: CanonicalLabel | null, declarationReliability: number): number {
  const right = Math.min(1, Math.max(0, confidence));
  const wrong = 1 - right;
  if (declaredLabel === null) return wrong;
  const q = declarationReliability;
  const [ifWrong, ifRight] = declaredLabel === finalLabel ? [wrong * (1 - q), right * q] : [wrong * q, right * (1 - q)];
  return ifWrong + ifRight === 0 ? 0 : ifWrong / (ifWrong + ifRight);
}

/**
 * Whether a segment is a review candidate, why, and how likely its final label is wrong. A
 * declaration in another group than the final label → `contradicts_declaration`; otherwise a label
 * without GPS evidence below `minConfidence` → `low_confidence_no_gps`, unless the volunteer
 * declared that very label (then it is most likely right). The budget ({@link selectReviewFlags})
 * decides which candidates are flagged.
 *
 * @example reviewCandidate({ finalLabel: 'Bus', confidence: 0.9, declaredLabel: 'Domicile', gpsEvidence: false }) // { reason: 'contradicts_declaration', wrongProbability: 0.5 }
 */
export function reviewCandidate(evidence: ReviewEvidence, params: ReviewCandidateParams = defaultReviewCandidateParams): ReviewCandidate {
  const { finalLabel, declaredLabel } = evidence;
  if (finalLabel === null) return { reason: null, wrongProbability: null };
  const confidence = evidence.confidence ?? 0;
  const wrongProbability = wrongLabelProbability(confidence, finalLabel, declaredLabel, params.declarationReliability);
  if (declaredLabel !== null && labelGroup(declaredLabel) !== labelGroup(finalLabel)) return { reason: 'contradicts_declaration', wrongProbability };
  if (!evidence.gpsEvidence && confidence < params.minConfidence && declaredLabel !== finalLabel) return { reason: 'low_confidence_no_gps', wrongProbability };
  return { reason: null, wrongProbability };
}
