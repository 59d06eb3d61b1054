import type { ReviewDecisionRecord } from '../records.js';
import { validateReviewLabel } from './validate-review-label.js';

/** The longest canonical label has 10 characters; aliases are refused anyway (validateReviewLabel). */
export const MAX_REVIEW_LABEL_CHARS = 64;
export const MAX_REVIEW_COMMENT_CHARS = 2000;

export interface ReviewDecisionRequest {
  readonly participant: string;
  /** Epoch ms, the reviewed segment's start. */
  readonly segmentStartMs: number;
  /** What the reviewer asked for: a canonical label or an alias. */
  readonly label: unknown;
  /** The account that logged in, never a name from the request body. */
  readonly reviewer: string;
  readonly comment?: string | null;
  /** Epoch ms. */
  readonly decidedAtMs: number;
}

export type ReviewDecisionResult =
  | { readonly ok: true; readonly decision: ReviewDecisionRecord }
  | { readonly ok: false; readonly parameter: 'label' | 'comment'; readonly reason: string };

/**
 * The record of review.decisions for a reviewer's request (docs/design.md §5.6), the one place that
 * builds it: postprocessing's `POST /reviews/…` and the console's review queue both call it. The
 * label is normalised to its canonical form; an unknown label or a comment over
 * {@link MAX_REVIEW_COMMENT_CHARS} is refused with the parameter and why.
 *
 * @example buildReviewDecision({ participant: 'p1', segmentStartMs: 0, label: 'Rue', reviewer: 'alice', decidedAtMs: 5 }) // ok, label 'Walk'
 */
export function buildReviewDecision(request: ReviewDecisionRequest): ReviewDecisionResult {
  const label = validateReviewLabel(request.label);
  if (!label.ok) return { ok: false, parameter: 'label', reason: label.reason };
  const comment = request.comment ?? null;
  if (comment !== null && comment.length > MAX_REVIEW_COMMENT_CHARS) {
    return { ok: false, parameter: 'comment', reason: `at most ${MAX_REVIEW_COMMENT_CHARS} characters, got ${comment.length}` };
  }
  return {
    ok: true,
    decision: {
      participant_virtual_id: request.participant,
      segment_start: request.segmentStartMs,
      label: label.label,
      reviewer: request.reviewer,
      comment,
      decided_at: request.decidedAtMs,
    },
  };
}
