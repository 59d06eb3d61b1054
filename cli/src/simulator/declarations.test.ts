import { normaliseLabel, type CanonicalLabel } from '@polluscope/common/domain';
import { describe, expect, it } from 'vitest';
import { DeclarationCursor, declareSegments, defaultDeclarationParams } from './declarations.js';
import { Random } from './random.js';
import type { TimelineSegment } from './timeline.js';

const MIN = 60_000;
const LABELS: CanonicalLabel[] = ['Domicile', 'Walk', 'Métro', 'Bureau', 'Voiture', 'Train', 'Parc'];

/** `n` back-to-back segments of `lengthMin` minutes cycling through LABELS. */
function segments(n: number, lengthMin: number): TimelineSegment[] {
  return Array.from({ length: n }, (_, i) => ({
    label: LABELS[i % LABELS.length] as CanonicalLabel,
    startMs: i * lengthMin * MIN,
    endMs: (i + 1) * lengthMin * MIN,
    path: [{ lat: 48.85, lon: 2.35 }],
    isStop: true,
  }));
}

/** Binomial tolerance: 4 standard deviations of a share estimated on n draws. */
const tolerance = (p: number, n: number): number => 4 * Math.sqrt((p * (1 - p)) / n);

describe('declareSegments', () => {
  const segs = segments(6000, 30);
  const changes = declareSegments(segs, defaultDeclarationParams, new Random(9));
  const p = defaultDeclarationParams;

  it('forgets, mislabels, aliases and delays at the documented rates', () => {
    const n = changes.length;
    const count = (kind: string): number => changes.filter((c) => c.kind === kind).length;
    const declared = n - count('missing');
    expect(Math.abs(count('missing') / n - p.missingShare)).toBeLessThan(tolerance(p.missingShare, n));
    expect(Math.abs(count('wrong') / declared - p.wrongShare)).toBeLessThan(tolerance(p.wrongShare, declared));
    const late = changes.filter((c) => c.delayMin > 0).length;
    expect(Math.abs(late / declared - p.lateShare)).toBeLessThan(tolerance(p.lateShare, declared));
    // Aliases only exist for Walk, Bureau, Domicile, Voiture and Train (5 of the 7 labels cycled).
    const aliasable = changes.filter((c, i) => c.kind !== 'missing' && c.kind !== 'wrong' && ['Walk', 'Bureau', 'Domicile', 'Voiture', 'Train'].includes((segs[i] as TimelineSegment).label)).length;
    expect(Math.abs(count('alias') / aliasable - p.aliasShare)).toBeLessThan(tolerance(p.aliasShare, aliasable));
  });

  it('gives wrong labels that are canonical and differ, and aliases that normalise to the truth', () => {
    changes.forEach((c, i) => {
      const truth = (segs[i] as TimelineSegment).label;
      if (c.kind === 'wrong') {
        expect(normaliseLabel(c.label)).not.toBe(truth);
        expect(normaliseLabel(c.label)).not.toBeNull();
      }
      if (c.kind === 'alias') {
        expect(c.label).not.toBe(truth);
        expect(normaliseLabel(c.label)).toBe(truth);
      }
      if (c.kind === 'correct') expect(c.label).toBe(truth);
      if (c.kind === 'missing') expect(c.label).toBeNull();
    });
  });

  it('switches a late label a few minutes after the true change, inside its segment', () => {
    changes.forEach((c, i) => {
      const s = segs[i] as TimelineSegment;
      expect(c.timeMs).toBe(s.startMs + c.delayMin * MIN);
      if (c.delayMin > 0) {
        expect(c.delayMin).toBeGreaterThanOrEqual(p.lateMinutes[0]);
        expect(c.delayMin).toBeLessThanOrEqual(p.lateMinutes[1]);
      }
    });
    const short = declareSegments(segments(500, 2), { ...p, lateShare: 1 }, new Random(1));
    for (const c of short) expect(c.delayMin).toBeLessThanOrEqual(1);
  });
});

describe('DeclarationCursor', () => {
  it('keeps the previous label until a late change and shows null for forgotten segments', () => {
    const cursor = new DeclarationCursor([
      { timeMs: 0, label: 'Domicile', kind: 'correct', delayMin: 0 },
      { timeMs: 13 * MIN, label: 'Rue', kind: 'alias', delayMin: 3 },
      { timeMs: 20 * MIN, label: null, kind: 'missing', delayMin: 0 },
    ]);
    expect(cursor.at(0)).toBe('Domicile');
    expect(cursor.at(12 * MIN)).toBe('Domicile');
    expect(cursor.at(13 * MIN)).toBe('Rue');
    expect(cursor.at(25 * MIN)).toBeNull();
  });
});
