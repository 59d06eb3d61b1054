import { describe, expect, it } from 'vitest';
import type { ReviewReason } from './review-candidate.js';
import { reviewBudget, selectReviewFlags, type BudgetedSegment } from './select-review-flags.js';

const params = { maxShare: 0.05, minWrongProbability: 0.5 };

/** A day of `n` segments that are no candidates. */
function quietDay(participantDay: string, n: number): BudgetedSegment[] {
  return Array.from({ length: n }, () => ({ participantDay, reason: null, wrongProbability: 0.1 }));
}

const candidate = (participantDay: string, wrongProbability: number, reason: ReviewReason = 'low_confidence_no_gps'): BudgetedSegment => ({ participantDay, reason, wrongProbability });

const flagged = (flags: readonly boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

describe('reviewBudget', () => {
  it('rounds down: 5 % of 19 segments is none, of 20 one, of 59 two, of 60 three', () => {
    expect([0, 19, 20, 39, 40, 59, 60, 288].map((n) => reviewBudget(n, params))).toEqual([0, 0, 1, 1, 2, 2, 3, 14]);
  });
});

describe('selectReviewFlags', () => {
  it('flags nothing on an empty input', () => {
    expect(selectReviewFlags([], params)).toEqual([]);
  });

  it('flags the likeliest-wrong candidate of a 20-segment day', () => {
    const day = [...quietDay('p1 2026-01-05', 17), candidate('p1 2026-01-05', 0.6), candidate('p1 2026-01-05', 0.9, 'contradicts_declaration'), candidate('p1 2026-01-05', 0.7)];
    expect(flagged(selectReviewFlags(day, params))).toEqual([18]);
  });

  it('flags nothing on a day of fewer than 20 segments', () => {
    const day = [...quietDay('p1 2026-01-05', 18), candidate('p1 2026-01-05', 0.99)];
    expect(flagged(selectReviewFlags(day, params))).toEqual([]);
  });

  it('never flags a candidate below minWrongProbability, even with budget left', () => {
    const day = [...quietDay('p1 2026-01-05', 38), candidate('p1 2026-01-05', 0.49), candidate('p1 2026-01-05', 0.8)];
    expect(flagged(selectReviewFlags(day, params))).toEqual([39]);
  });

  it('never flags a segment without a reason, however likely wrong', () => {
    const day = [...quietDay('p1 2026-01-05', 19), { participantDay: 'p1 2026-01-05', reason: null, wrongProbability: 0.99 }];
    expect(flagged(selectReviewFlags(day, params))).toEqual([]);
  });

  it('breaks ties by input order', () => {
    const day = [...quietDay('p1 2026-01-05', 18), candidate('p1 2026-01-05', 0.8), candidate('p1 2026-01-05', 0.8)];
    expect(flagged(selectReviewFlags(day, params))).toEqual([18]);
  });

  it('budgets each participant-day apart, whatever the interleaving', () => {
    const a = [...quietDay('p1 2026-01-05', 19), candidate('p1 2026-01-05', 0.9)];
    const b = [...quietDay('p2 2026-01-05', 10), candidate('p2 2026-01-05', 0.9)];
    expect(flagged(selectReviewFlags([...a, ...b], params))).toEqual([19]);
    const interleaved = [...b, ...a];
    expect(flagged(selectReviewFlags(interleaved, params))).toEqual([11 + 19]);
  });
});
