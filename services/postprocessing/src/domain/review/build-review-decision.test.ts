import { describe, expect, it } from 'vitest';
import { buildReviewDecision, MAX_REVIEW_COMMENT_CHARS } from './build-review-decision.js';

const request = { participant: 'p1', segmentStartMs: 1_700_000_100_000, reviewer: 'alice', decidedAtMs: 1_700_000_900_000 };

describe('buildReviewDecision', () => {
  it('builds the record with the canonical label, the reviewer and the time given', () => {
    expect(buildReviewDecision({ ...request, label: 'Rue', comment: 'on foot' })).toEqual({
      ok: true,
      decision: { participant_virtual_id: 'p1', segment_start: 1_700_000_100_000, label: 'Walk', reviewer: 'alice', comment: 'on foot', decided_at: 1_700_000_900_000 },
    });
  });

  it('records no comment as null', () => {
    const result = buildReviewDecision({ ...request, label: 'Bureau' });
    expect(result.ok && result.decision.comment).toBeNull();
  });

  it('refuses a label that is not a micro-environment, naming the parameter', () => {
    const result = buildReviewDecision({ ...request, label: 'metro' });
    expect(result).toMatchObject({ ok: false, parameter: 'label' });
    expect(!result.ok && result.reason).toContain("did you mean 'Métro'");
    expect(buildReviewDecision({ ...request, label: 42 })).toMatchObject({ ok: false, parameter: 'label' });
  });

  it('refuses a comment over the limit', () => {
    expect(buildReviewDecision({ ...request, label: 'Bureau', comment: 'x'.repeat(MAX_REVIEW_COMMENT_CHARS + 1) })).toMatchObject({ ok: false, parameter: 'comment' });
  });
});
