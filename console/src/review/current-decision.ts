import type { ReviewDecision, ReviewItem } from './types.js';

/**
 * Decisions sent from this page and accepted by the server, by segment start, until the warehouse
 * shows them (the sink and the timeline take a few seconds).
 */
export type SentDecisions = ReadonlyMap<number, ReviewDecision>;

/** The decision that counts for a segment: the newest of the warehouse's history and what was sent. */
export function currentDecision(item: ReviewItem, sent: SentDecisions): ReviewDecision | null {
  const stored = item.decisions[0] ?? null;
  const mine = sent.get(item.startMs) ?? null;
  if (mine === null) return stored;
  return stored !== null && stored.decidedAtMs >= mine.decidedAtMs ? stored : mine;
}

/** The segment's label now: its current decision's, else the timeline's. */
export function currentLabel(item: ReviewItem, sent: SentDecisions): string | null {
  return currentDecision(item, sent)?.label ?? item.finalLabel;
}

/** Progress through the day: segments with a decision, of those flagged. */
export function reviewProgress(items: readonly ReviewItem[], sent: SentDecisions): { decided: number; total: number } {
  return { decided: items.filter((item) => currentDecision(item, sent) !== null).length, total: items.length };
}

/** Sent decisions the warehouse now shows (or supersedes) are forgotten. */
export function pruneSent(items: readonly ReviewItem[], sent: SentDecisions): Map<number, ReviewDecision> {
  const stored = new Map(items.map((item) => [item.startMs, item.decisions[0]?.decidedAtMs ?? -Infinity]));
  return new Map([...sent].filter(([startMs, d]) => (stored.get(startMs) ?? -Infinity) < d.decidedAtMs));
}
