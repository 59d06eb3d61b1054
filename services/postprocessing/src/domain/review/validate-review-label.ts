import { CANONICAL_LABELS, normaliseLabel, type CanonicalLabel } from '@polluscope/common/domain';

export type ReviewLabelValidation =
  | { readonly ok: true; readonly label: CanonicalLabel }
  | { readonly ok: false; readonly reason: string };

/** Spellings of "unknown" that normaliseLabel maps to null (docs/design.md §6). */
const UNKNOWN_WORDS: ReadonlySet<string> = new Set(['', 'inconnu', 'nan', 'none', 'null', 'unknown']);

/** Lower case without accents: 'Métro' → 'metro'. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/**
 * Checks the label a reviewer asks for (docs/design.md §5.6): it must normalise (§6: canonical labels
 * and their aliases) to a canonical label. Otherwise `reason` says why, names a canonical label
 * that differs only in case or accents when there is one, and lists the accepted labels.
 *
 * @example validateReviewLabel('Rue') // { ok: true, label: 'Walk' }
 * @example validateReviewLabel('metro').ok // false, reason: … did you mean 'Métro'? …
 */
export function validateReviewLabel(raw: unknown): ReviewLabelValidation {
  if (typeof raw !== 'string') return { ok: false, reason: `label must be a string, got ${raw === null ? 'null' : typeof raw}` };
  const label = normaliseLabel(raw);
  if (label !== null) return { ok: true, label };
  const accepted = `accepted labels: ${CANONICAL_LABELS.join(', ')} (or an alias: Rue, Bureau_tiers, Domicile_tiers, Voiture_arrêt, Train_arrêt, Tram, Moto)`;
  const trimmed = raw.trim();
  if (UNKNOWN_WORDS.has(trimmed.toLowerCase())) {
    return { ok: false, reason: `label '${raw}' means unknown; a review must choose a micro-environment; ${accepted}` };
  }
  const near = CANONICAL_LABELS.find((canonical) => fold(canonical) === fold(trimmed));
  const hint = near ? ` (did you mean '${near}'?)` : '';
  return { ok: false, reason: `label '${raw}' is not a Polluscope micro-environment${hint}; ${accepted}` };
}
