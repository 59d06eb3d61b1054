import type { ReviewDecision, ReviewItem } from './types.js';

/** A row of segments_needing_review for one participant-day. */
export interface ReviewQueueRow {
  readonly segment_start: Date;
  readonly segment_end: Date;
  readonly review_reason: string | null;
  readonly review_wrong_probability: number | null;
  readonly declared_label: string | null;
  readonly predicted_label: string | null;
  readonly confidence: number | null;
  readonly probabilities: Readonly<Record<string, number>> | null;
  readonly rule_applied: string | null;
  readonly final_label: string | null;
  readonly final_source: string | null;
}

/** A row of review_decisions (the history) for the same day. */
export interface ReviewDecisionRow {
  readonly segment_start: Date;
  readonly label: string;
  readonly reviewer: string | null;
  readonly comment: string | null;
  readonly decided_at: Date;
}

/**
 * The queue's items, likeliest wrong first (then in time order, so the order is stable), each with
 * its history of decisions newest first.
 *
 * @example shapeReviewQueue(rows, [])[0].wrongProbability // the highest of the day
 */
export function shapeReviewQueue(rows: readonly ReviewQueueRow[], decisions: readonly ReviewDecisionRow[]): ReviewItem[] {
  const history = new Map<number, ReviewDecision[]>();
  for (const d of decisions) {
    const startMs = d.segment_start.getTime();
    history.set(startMs, [...(history.get(startMs) ?? []), { label: d.label, reviewer: d.reviewer, comment: d.comment, decidedAtMs: d.decided_at.getTime() }]);
  }
  const items = rows.map((row): ReviewItem => {
    const startMs = row.segment_start.getTime();
    return {
      startMs,
      endMs: row.segment_end.getTime(),
      reviewReason: row.review_reason,
      wrongProbability: row.review_wrong_probability,
      declaredLabel: row.declared_label,
      predictedLabel: row.predicted_label,
      confidence: row.confidence,
      probabilities: row.probabilities,
      ruleApplied: row.rule_applied,
      finalLabel: row.final_label,
      finalSource: row.final_source,
      decisions: [...(history.get(startMs) ?? [])].sort((a, b) => b.decidedAtMs - a.decidedAtMs),
    };
  });
  const rank = (p: number | null) => (p === null ? -1 : p);
  return items.sort((a, b) => rank(b.wrongProbability) - rank(a.wrongProbability) || a.startMs - b.startMs);
}
