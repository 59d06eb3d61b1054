import { describe, expect, it } from 'vitest';
import { flagOnSensorEvidence, reviewParams } from './review-flags.js';

const MINUTE = 60_000;
/** Tuesday 2026-01-06 00:00 in Paris. */
const MIDNIGHT_PARIS = Date.UTC(2026, 0, 5, 23, 0);

describe('flagOnSensorEvidence', () => {
  const budget = { maxShare: 0.05, minWrongProbability: 0.5 };
  const day = (participantId: string, startMs: number, candidateAt: number) =>
    Array.from({ length: 20 }, (_, i) => ({
      participantId,
      segmentStartMs: startMs + i * 5 * MINUTE,
      reviewReason: i === candidateAt ? ('low_confidence_no_gps' as const) : null,
      wrongProbability: i === candidateAt ? 0.7 : 0.1,
    }));

  it('budgets per participant and local day in the given zone', () => {
    // 20 segments from 23:10 in Paris: 10 on each side of midnight, two days too short for a flag.
    expect(flagOnSensorEvidence(day('p1', MIDNIGHT_PARIS - 50 * MINUTE, 3), budget, 'Europe/Paris').filter(Boolean)).toHaveLength(0);
    // In UTC they are one day (22:10–23:45): one flag.
    expect(flagOnSensorEvidence(day('p1', MIDNIGHT_PARIS - 50 * MINUTE, 3), budget, 'UTC').indexOf(true)).toBe(3);
    // Two participants on the same day have a budget each.
    const both = [...day('p1', MIDNIGHT_PARIS, 2), ...day('p2', MIDNIGHT_PARIS, 4)];
    expect(flagOnSensorEvidence(both, budget, 'Europe/Paris').flatMap((f, i) => (f ? [i] : []))).toEqual([2, 24]);
  });
});

describe('reviewParams', () => {
  it('reads the four options and refuses a share outside [0, 1]', () => {
    expect(reviewParams({ minConfidence: '0.6', declarationReliability: '0.9', reviewBudget: '0.05', minWrongProbability: '0.5' })).toEqual({
      candidate: { minConfidence: 0.6, declarationReliability: 0.9 },
      budget: { maxShare: 0.05, minWrongProbability: 0.5 },
    });
    expect(() => reviewParams({ minConfidence: '0.6', declarationReliability: '0.9', reviewBudget: '5', minWrongProbability: '0.5' })).toThrow(/--review-budget/);
  });
});
