import type { CanonicalLabel } from '@polluscope/common/domain';
import { describe, expect, it } from 'vitest';
import type { TimelineSource } from '../records.js';
import { smoothGlitches, type LabelledSpan } from './smooth-glitches.js';

function spans(labels: (CanonicalLabel | null)[], sources: TimelineSource[] = []): LabelledSpan[] {
  return labels.map((label, i) => ({ startMs: i * 300, endMs: i * 300 + 300, label, source: sources[i] ?? 'sensors', confidence: i / 10 }));
}
const labels = (s: LabelledSpan[]): (string | null)[] => s.map((x) => x.label);

describe('smoothGlitches', () => {
  it('gives a single-segment glitch its neighbours label, source and confidence', () => {
    const smoothed = smoothGlitches(spans(['Bus', 'Domicile', 'Bus'], ['gps', 'sensors', 'stop']));
    expect(smoothed[1]).toEqual({ startMs: 300, endMs: 600, label: 'Bus', source: 'gps', confidence: 0 });
  });

  it('fills a null label between equal neighbours', () => {
    expect(labels(smoothGlitches(spans(['Domicile', null, 'Domicile'])))).toEqual(['Domicile', 'Domicile', 'Domicile']);
  });

  it('keeps two-segment runs, unequal neighbours and ends', () => {
    expect(labels(smoothGlitches(spans(['Bus', 'Walk', 'Walk', 'Bus'])))).toEqual(['Bus', 'Walk', 'Walk', 'Bus']);
    expect(labels(smoothGlitches(spans(['Bus', 'Walk', 'Métro'])))).toEqual(['Bus', 'Walk', 'Métro']);
    expect(labels(smoothGlitches(spans(['Walk', 'Bus'])))).toEqual(['Walk', 'Bus']);
    expect(labels(smoothGlitches(spans([null, 'Bus', null])))).toEqual([null, 'Bus', null]);
  });

  it('does not smooth across a gap in time', () => {
    const gap = spans(['Bus', 'Walk', 'Bus']).map((s, i) => (i === 2 ? { ...s, startMs: 900, endMs: 1200 } : s));
    expect(labels(smoothGlitches(gap))).toEqual(['Bus', 'Walk', 'Bus']);
  });

  it('leaves an alternation alone and never changes a review', () => {
    expect(labels(smoothGlitches(spans(['Bus', 'Walk', 'Bus', 'Walk', 'Bus'])))).toEqual(['Bus', 'Walk', 'Bus', 'Walk', 'Bus']);
    expect(labels(smoothGlitches(spans(['Bus', 'Walk', 'Bus'], ['sensors', 'review', 'sensors'])))).toEqual(['Bus', 'Walk', 'Bus']);
  });

  it('never lets a smoothed span claim the review source', () => {
    expect(smoothGlitches(spans(['Walk', 'Bus', 'Walk'], ['review', 'sensors', 'gps']))[1]).toEqual({ startMs: 300, endMs: 600, label: 'Walk', source: 'gps', confidence: 0.2 });
    expect(smoothGlitches(spans(['Walk', 'Bus', 'Walk'], ['review', 'sensors', 'review']))[1]).toEqual({ startMs: 300, endMs: 600, label: 'Walk', source: 'sensors', confidence: null });
  });
});
