import { describe, expect, it } from 'vitest';
import { environmentMinutes, T0_MS } from '../test-fixtures.js';
import { buildEvaluationSegments } from './build-evaluation-segments.js';

describe('buildEvaluationSegments', () => {
  it('labels each segment with its truth and its normalised majority declaration', () => {
    // Three segments, all truly Bus: declared Voiture (an alias), partly Bus, not at all.
    const rows = [
      ...environmentMinutes('Bus', 0, 1).map((m) => ({ ...m, activity: 'Voiture_arrêt' })),
      ...environmentMinutes('Bus', 5, 2).map((m, i) => ({ ...m, activity: i < 3 ? 'Bus' : 'Métro' })),
      ...environmentMinutes('Bus', 10, 3).map((m) => ({ ...m, activity: null })),
    ];
    const truth = rows.map((r) => ({ timeMs: r.timeMs, label: 'Bus' }));
    const segments = buildEvaluationSegments('p1', rows, truth);
    expect(segments.map((s) => [s.segmentStartMs - T0_MS, s.label, s.declaredLabel])).toEqual([
      [0, 'Bus', 'Voiture'],
      [300_000, 'Bus', 'Bus'],
      [600_000, 'Bus', null],
    ]);
  });

  it('leaves out segments without a true label', () => {
    const rows = environmentMinutes('Domicile', 0, 1);
    expect(buildEvaluationSegments('p1', rows, [])).toEqual([]);
  });
});
