import type { CanonicalLabel } from '@polluscope/common/domain';

export interface StopVote {
  /** Start of the stop the segment is inside, epoch ms. */
  readonly stopStartMs: number;
  /** The segment's sensor label; null votes are not counted. */
  readonly label: CanonicalLabel | null;
}

export interface StopMajority {
  readonly label: CanonicalLabel;
  /** Share of the stop's labelled segments that carry `label`, 0..1. */
  readonly share: number;
}

/**
 * The majority sensor label of each stop over the segments inside it, given in time order; a tie
 * goes to the label that appeared first. Stops without a labelled segment are absent.
 *
 * @example stopMajorityLabels([{ stopStartMs: 0, label: 'Bureau' }, { stopStartMs: 0, label: 'Bureau' }, { stopStartMs: 0, label: 'Magasin' }])
 * // Map { 0 => { label: 'Bureau', share: 0.6666666666666666 } }
 */
export function stopMajorityLabels(votes: readonly StopVote[]): Map<number, StopMajority> {
  const counts = new Map<number, Map<CanonicalLabel, number>>();
  for (const vote of votes) {
    if (vote.label === null) continue;
    let stop = counts.get(vote.stopStartMs);
    if (!stop) {
      stop = new Map();
      counts.set(vote.stopStartMs, stop);
    }
    stop.set(vote.label, (stop.get(vote.label) ?? 0) + 1);
  }
  const majorities = new Map<number, StopMajority>();
  for (const [stopStartMs, labels] of counts) {
    let total = 0;
    let best: [CanonicalLabel, number] | null = null;
    // Map iteration follows insertion, i.e. first appearance, so `>` keeps the earlier label on a tie.
    for (const [label, count] of labels) {
      total += count;
      if (best === null || count > best[1]) best = [label, count];
    }
    if (best) majorities.set(stopStartMs, { label: best[0], share: best[1] / total });
  }
  return majorities;
}
