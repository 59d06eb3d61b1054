import { normaliseLabel, type CanonicalLabel } from '@polluscope/common/domain';

/**
 * The most frequent normalised label (aliases mapped, unknowns ignored); on a tie, the tied label
 * seen first. `null` when no minute has a known label.
 *
 * @example majorityLabel(['Rue', 'Walk', 'Domicile', null, 'Inconnu']) // 'Walk'
 */
export function majorityLabel(raw: readonly (string | null | undefined)[]): CanonicalLabel | null {
  const counts = new Map<CanonicalLabel, number>();
  let best: CanonicalLabel | null = null;
  let bestCount = 0;
  for (const text of raw) {
    const label = normaliseLabel(text);
    if (label === null) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Map iteration follows first appearance, so a strict > keeps the first tied label.
  for (const [label, count] of counts) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}
