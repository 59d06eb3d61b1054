import { describe, expect, it } from 'vitest';
import { scoreWithIntervals } from './score-with-intervals.js';

const groupOf = (l: string) => (l === 'Bus' ? 'transport' : 'indoor');

describe('scoreWithIntervals', () => {
  it('scores all participants and resamples them for the intervals', () => {
    // p1 always right, p2 calls Bus Domicile: pooled accuracy 3/4.
    const segments = [
      { participantId: 'p1', label: 'Domicile' },
      { participantId: 'p1', label: 'Bus' },
      { participantId: 'p2', label: 'Domicile' },
      { participantId: 'p2', label: 'Bus' },
    ];
    const scored = scoreWithIntervals(segments, ['Domicile', 'Bus', 'Domicile', 'Domicile'], ['Domicile', 'Bus'], groupOf, { resamples: 400, seed: 5, level: 0.95 });
    expect(scored.segments).toBe(4);
    expect(scored.participants).toBe(2);
    expect(scored.confusion).toEqual([[2, 0, 0], [1, 1, 0]]);
    expect(scored.figures['accuracy']).toEqual({ estimate: 0.75, low: 0.5, high: 1, resamples: 400 });
    expect(scored.figures['balanced accuracy']!.estimate).toBe(0.75);
    expect(scored.figures['group accuracy']!.estimate).toBe(0.75);
    expect(scored.figures['f1 Bus']!.estimate).toBeCloseTo(2 / 3, 12);
    expect(scored.figures['f1 Domicile']!.estimate).toBe(0.8);
  });
});
