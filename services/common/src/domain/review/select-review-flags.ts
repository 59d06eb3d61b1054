import type { ReviewCandidate } from './review-candidate.js';

export interface ReviewBudgetParams {
  /** Largest share of a participant-day's segments flagged, 0..1 (REVIEW_BUDGET). */
  readonly maxShare: number;
  /** A candidate is flagged only when its final label is at least this likely wrong, 0..1. */
  readonly minWrongProbability: number;
}

export const defaultReviewBudgetParams: ReviewBudgetParams = Object.freeze({ maxShare: 0.05, minWrongProbability: 0.5 });

export interface BudgetedSegment extends ReviewCandidate {
  /** Participant and local day, any string that is equal for the segments of one participant-day. */
  readonly participantDay: string;
}

/**
 * How many segments of a day of `segments` segments may be flagged: floor(maxShare × segments),
 * so the share is never exceeded and a day of fewer than 1 / maxShare segments (20 at 5 %, under
 * 100 minutes measured) gets none.
 *
 * @example reviewBudget(59, { maxShare: 0.05, minWrongProbability: 0.5 }) // 2
 */
export function reviewBudget(segments: number, params: ReviewBudgetParams = defaultReviewBudgetParams): number {
  // The epsilon keeps 0.05 × 60 = 3.0000000000000004 and its kin from rounding the wrong way.
  return Math.max(0, Math.floor(params.maxShare * segments + 1e-9));
}

/**
 * Review as a budget (docs/design.md §5.2): per participant-day, the candidates (a reason and a wrong
 * probability ≥ minWrongProbability) ranked by the probability that their final label is wrong,
 * most likely first (ties: earlier in `segments` first), and the first {@link reviewBudget}
 * of them flagged. Every segment of the day counts towards the budget, candidate or not. Returns
 * one flag per segment, in input order; the result does not depend on how days are interleaved.
 *
 * @example selectReviewFlags(twentySegmentsOfOneDay) // one true, at the likeliest-wrong candidate
 */
export function selectReviewFlags(segments: readonly BudgetedSegment[], params: ReviewBudgetParams = defaultReviewBudgetParams): boolean[] {
  const days = new Map<string, { index: number; wrongProbability: number | null }[]>();
  segments.forEach((segment, index) => {
    const eligible = segment.reason !== null && segment.wrongProbability !== null && segment.wrongProbability >= params.minWrongProbability;
    const entry = { index, wrongProbability: eligible ? segment.wrongProbability : null };
    const day = days.get(segment.participantDay);
    if (day) day.push(entry);
    else days.set(segment.participantDay, [entry]);
  });
  const flags = segments.map(() => false);
  for (const day of days.values()) {
    const ranked = day.flatMap(({ index, wrongProbability }) => (wrongProbability === null ? [] : [{ index, wrongProbability }]));
    ranked.sort((a, b) => b.wrongProbability - a.wrongProbability || a.index - b.index);
    for (const { index } of ranked.slice(0, reviewBudget(day.length, params))) flags[index] = true;
  }
  return flags;
}
