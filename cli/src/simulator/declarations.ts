/**
 * What the volunteer declares on the tablet, with the human errors of real declarations:
 * forgotten segments, labels switched a few minutes late, wrong but plausible labels, and old
 * aliases. Rates are per true segment (a stay or a trip), see docs/simulator.md.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { Random } from './random.js';
import type { TimelineSegment } from './timeline.js';

export interface DeclarationParams {
  /** Share of segments never declared (empty activity). */
  readonly missingShare: number;
  /** Share of declared segments whose label switches late, by `lateMinutes` minutes. */
  readonly lateShare: number;
  readonly lateMinutes: readonly [min: number, max: number];
  /** Share of declared segments given a wrong but plausible label. */
  readonly wrongShare: number;
  /** Share of correctly declared segments written with an old alias (Rue, Bureau_tiers, …). */
  readonly aliasShare: number;
}

export const defaultDeclarationParams: DeclarationParams = Object.freeze({
  missingShare: 0.08,
  lateShare: 0.15,
  lateMinutes: [2, 10] as const,
  wrongShare: 0.06,
  aliasShare: 0.1,
});

/** Plausible confusions: what a volunteer picks instead of the true label. */
export const PLAUSIBLE_CONFUSIONS: Readonly<Record<CanonicalLabel, readonly CanonicalLabel[]>> = Object.freeze({
  Domicile: ['Indoor'],
  Bureau: ['Indoor', 'Domicile'],
  Restaurant: ['Indoor', 'Magasin'],
  Magasin: ['Indoor', 'Restaurant'],
  Gare: ['Train', 'Indoor'],
  Indoor: ['Domicile', 'Bureau'],
  Cinéma: ['Indoor'],
  Walk: ['Running', 'Parc'],
  Running: ['Walk'],
  Vélo: ['Walk', 'Motorcycle'],
  Parc: ['Walk'],
  Bus: ['Voiture', 'Métro'],
  Métro: ['Train', 'Bus'],
  Train: ['Métro'],
  Voiture: ['Bus', 'Motorcycle'],
  Motorcycle: ['Voiture'],
  Tramway: ['Bus', 'Métro'],
});

/** Old labels still found in exports; each normalises to its canonical label (docs/design.md §6). */
export const DECLARATION_ALIASES: Readonly<Partial<Record<CanonicalLabel, string>>> = Object.freeze({
  Walk: 'Rue',
  Bureau: 'Bureau_tiers',
  Domicile: 'Domicile_tiers',
  Voiture: 'Voiture_arrêt',
  Train: 'Train_arrêt',
});

export type DeclarationKind = 'correct' | 'alias' | 'wrong' | 'missing';

/** From `timeMs` on, the tablet shows `label` (null = nothing declared). */
export interface DeclarationChange {
  readonly timeMs: number;
  readonly label: string | null;
  readonly kind: DeclarationKind;
  /** Minutes after the true change (0 = on time). */
  readonly delayMin: number;
}

/** One declaration change per true segment, in time order. */
export function declareSegments(segments: readonly TimelineSegment[], params: DeclarationParams, rng: Random): DeclarationChange[] {
  const changes: DeclarationChange[] = [];
  for (const s of segments) {
    if (rng.chance(params.missingShare)) {
      changes.push({ timeMs: s.startMs, label: null, kind: 'missing', delayMin: 0 });
      continue;
    }
    let label: string = s.label;
    let kind: DeclarationKind = 'correct';
    const alias = DECLARATION_ALIASES[s.label];
    if (rng.chance(params.wrongShare)) {
      label = rng.pick(PLAUSIBLE_CONFUSIONS[s.label]);
      kind = 'wrong';
    } else if (alias !== undefined && rng.chance(params.aliasShare)) {
      label = alias;
      kind = 'alias';
    }
    // A late switch still lands inside its own segment, before the next change.
    const lengthMin = Math.round((s.endMs - s.startMs) / 60_000);
    const delayMin = rng.chance(params.lateShare) ? Math.min(lengthMin - 1, rng.int(params.lateMinutes[0], params.lateMinutes[1])) : 0;
    changes.push({ timeMs: s.startMs + Math.max(0, delayMin) * 60_000, label, kind, delayMin: Math.max(0, delayMin) });
  }
  return changes;
}

/** The declared label at non-decreasing times. */
export class DeclarationCursor {
  private i = -1;
  constructor(private readonly changes: readonly DeclarationChange[]) {}

  at(timeMs: number): string | null {
    let next = this.changes[this.i + 1];
    while (next !== undefined && next.timeMs <= timeMs) {
      this.i++;
      next = this.changes[this.i + 1];
    }
    return this.changes[this.i]?.label ?? null;
  }
}
