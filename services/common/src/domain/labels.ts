/**
 * The Polluscope vocabulary of micro-environments (docs/design.md §6): canonical labels, the aliases
 * volunteers and older exports use, and the three groups researchers aggregate by.
 */

export const CANONICAL_LABELS = [
  'Domicile',
  'Bureau',
  'Restaurant',
  'Magasin',
  'Gare',
  'Indoor',
  'Cinéma',
  'Walk',
  'Running',
  'Vélo',
  'Parc',
  'Bus',
  'Métro',
  'Train',
  'Voiture',
  'Motorcycle',
  'Tramway',
] as const;

export type CanonicalLabel = (typeof CANONICAL_LABELS)[number];
export type LabelGroup = 'indoor' | 'outdoor' | 'transport';

const GROUP_OF: Readonly<Record<CanonicalLabel, LabelGroup>> = Object.freeze({
  Domicile: 'indoor',
  Bureau: 'indoor',
  Restaurant: 'indoor',
  Magasin: 'indoor',
  Gare: 'indoor',
  Indoor: 'indoor',
  Cinéma: 'indoor',
  Walk: 'outdoor',
  Running: 'outdoor',
  Vélo: 'outdoor',
  Parc: 'outdoor',
  Bus: 'transport',
  Métro: 'transport',
  Train: 'transport',
  Voiture: 'transport',
  Motorcycle: 'transport',
  Tramway: 'transport',
});

const ALIASES: Readonly<Record<string, CanonicalLabel>> = Object.freeze({
  Rue: 'Walk',
  Bureau_tiers: 'Bureau',
  Domicile_tiers: 'Domicile',
  Voiture_arrêt: 'Voiture',
  Train_arrêt: 'Train',
  Tram: 'Tramway',
  Moto: 'Motorcycle',
});

const UNKNOWN = new Set(['', 'inconnu', 'nan', 'none', 'null', 'unknown']);

const CANONICAL_SET: ReadonlySet<string> = new Set(CANONICAL_LABELS);

export function isCanonicalLabel(value: string): value is CanonicalLabel {
  return CANONICAL_SET.has(value);
}

/**
 * Maps a declared or predicted label to its canonical form; `null` means unknown
 * (Inconnu, nan, None, empty) or a label outside the vocabulary. Labels are compared after
 * Unicode NFC normalisation and trimming, case kept: 'Me\u0301tro' (decomposed é) is 'Métro'.
 *
 * @example normaliseLabel('Rue') // 'Walk'
 */
export function normaliseLabel(raw: string | null | undefined): CanonicalLabel | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.normalize('NFC').trim();
  if (UNKNOWN.has(trimmed.toLowerCase())) return null;
  if (isCanonicalLabel(trimmed)) return trimmed;
  return ALIASES[trimmed] ?? null;
}

/** The group (indoor, outdoor, transport) of a canonical label. */
export function labelGroup(label: CanonicalLabel): LabelGroup {
  return GROUP_OF[label];
}

/** Transport and outdoor modes that GPS can assign to a move (docs/design.md §5.5). */
export const MOVE_MODES: readonly CanonicalLabel[] = Object.freeze([
  'Bus',
  'Métro',
  'Train',
  'Voiture',
  'Motorcycle',
  'Vélo',
  'Walk',
  'Running',
]);
