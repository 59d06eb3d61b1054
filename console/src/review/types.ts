/**
 * The review queue's shapes (docs/design.md §5.6), as the console's API returns them and the page
 * draws them. Times are epoch milliseconds (UTC).
 */

/** One decision of a segment's history (review_decisions). */
export interface ReviewDecision {
  readonly label: string;
  readonly reviewer: string | null;
  readonly comment: string | null;
  readonly decidedAtMs: number;
}

/** A segment the timeline flagged for review, with what a reviewer needs to decide it. */
export interface ReviewItem {
  readonly startMs: number;
  readonly endMs: number;
  /** low_confidence_no_gps or contradicts_declaration. */
  readonly reviewReason: string | null;
  /** Probability that the label fusion gave is wrong, 0..1: the queue's rank. */
  readonly wrongProbability: number | null;
  readonly declaredLabel: string | null;
  readonly predictedLabel: string | null;
  /** Probability of predictedLabel, 0..1. */
  readonly confidence: number | null;
  /** The classifier's probability per label, 0..1. */
  readonly probabilities: Readonly<Record<string, number>> | null;
  /** The time-of-day rule that changed the sensor label, if any. */
  readonly ruleApplied: string | null;
  /** The timeline's label now (a review included) and where it came from. */
  readonly finalLabel: string | null;
  readonly finalSource: string | null;
  /** Every decision on the segment, newest first; the first is the one that counts. */
  readonly decisions: readonly ReviewDecision[];
}

/** A participant-day's review queue, likeliest wrong first. */
export interface ReviewQueue {
  readonly participant: string;
  readonly day: string;
  readonly timeZone: string;
  /** The canonical labels a reviewer may choose, in the vocabulary's order. */
  readonly labels: readonly string[];
  readonly items: readonly ReviewItem[];
}

/** Who is logged in, and the token every mutating request sends back (header `csrf-token`). */
export interface ReviewSession {
  readonly reviewer: string | null;
  readonly csrfToken: string;
}
