import type { ReviewItem } from './types.js';

/** Digits 1–9 pick the first nine candidates. */
export const RELABEL_KEYS = 9;

/**
 * The labels offered for a segment, in the order digits 1–9 pick them: the classifier's most
 * probable labels first, then the declaration, then the rest of the vocabulary in its order. Only
 * labels of `labels` (the canonical ones) are offered.
 *
 * @example relabelCandidates({ probabilities: { Bureau: 0.6, Domicile: 0.3 }, declaredLabel: 'Walk', … }, LABELS).slice(0, 3) // ['Bureau', 'Domicile', 'Walk']
 */
export function relabelCandidates(item: Pick<ReviewItem, 'probabilities' | 'declaredLabel'>, labels: readonly string[]): string[] {
  const known = new Set(labels);
  const byProbability = Object.entries(item.probabilities ?? {})
    .filter(([label, p]) => known.has(label) && p > 0)
    .sort(([a, p], [b, q]) => q - p || labels.indexOf(a) - labels.indexOf(b))
    .map(([label]) => label);
  const declared = item.declaredLabel !== null && known.has(item.declaredLabel) ? [item.declaredLabel] : [];
  return [...new Set([...byProbability, ...declared, ...labels])];
}
