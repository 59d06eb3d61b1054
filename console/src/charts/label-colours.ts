/**
 * One colour per micro-environment, the same in every chart (bands, map, exposure): indoor places
 * in blues and purples, outdoor in greens, transport in warm colours (docs/design.md §6), unknown grey.
 */
export const LABEL_COLOURS: Readonly<Record<string, string>> = Object.freeze({
  Domicile: '#1f4e9c',
  Bureau: '#4a7fd4',
  Restaurant: '#7b61c9',
  Magasin: '#a58be0',
  Gare: '#5fa3c7',
  Indoor: '#8db4e8',
  Cinéma: '#3c3a8f',
  Walk: '#2e9e4f',
  Running: '#7fc97f',
  Vélo: '#1b7a3a',
  Parc: '#a6d96a',
  Bus: '#e6550d',
  Métro: '#c51b1b',
  Train: '#8c2d04',
  Tramway: '#f16913',
  Voiture: '#fdae6b',
  Motorcycle: '#d94801',
  unknown: '#b8b8b8',
});

/** Labels in legend order (the groups together), `unknown` last. */
export const LABEL_ORDER: readonly string[] = Object.keys(LABEL_COLOURS);

export function labelColour(label: string | null): string {
  return LABEL_COLOURS[label ?? 'unknown'] ?? LABEL_COLOURS.unknown!;
}

/** Plot's colour scale for labels: only those present, in the fixed order, with their colours. */
export function labelColourScale(present: Iterable<string | null>): { domain: string[]; range: string[] } {
  const seen = new Set<string>();
  for (const label of present) seen.add(label ?? 'unknown');
  const domain = [...LABEL_ORDER.filter((l) => seen.has(l)), ...[...seen].filter((l) => !(l in LABEL_COLOURS)).sort()];
  return { domain, range: domain.map((l) => labelColour(l)) };
}
