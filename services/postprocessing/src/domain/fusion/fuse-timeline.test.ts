import { describe, expect, it } from 'vitest';
import { at, decision, move, P, seg, stop } from '../test-fixtures.js';
import { fuseTimeline } from './fuse-timeline.js';

const brief = (e: { final_label: string | null; source: string; confidence: number | null }) => [e.final_label, e.source, e.confidence];

describe('fuseTimeline', () => {
  it('keeps the sensor label without GPS, with the whole entry shaped like activity.timeline', () => {
    const [entry] = fuseTimeline([seg(0, 'Domicile', { declared_label: 'Domicile_tiers', minutes: 4, pm25_mean: 12.5, bc_mean: 800 })], [], []);
    expect(entry).toEqual({
      participant_virtual_id: P,
      segment_start: at(0),
      segment_end: at(5),
      minutes: 4,
      final_label: 'Domicile',
      label_group: 'indoor',
      source: 'sensors',
      confidence: 0.7,
      declared_label: 'Domicile',
      match: true,
      episode_ids: null,
      pm1_mean: null,
      pm25_mean: 12.5,
      pm10_mean: null,
      no2_mean: null,
      bc_mean: 800,
      temperature_mean: null,
      humidity_mean: null,
      needs_review: false,
      review_reason: null,
      // Declared as predicted: 0.3 × 0.1 / (0.3 × 0.1 + 0.7 × 0.9).
      review_wrong_probability: expect.closeTo(0.03 / 0.66, 12),
    });
  });

  it('takes the mode of a confident move covering half of a segment (gps), and matches against it', () => {
    const timeline = fuseTimeline(
      [seg(0, 'Domicile'), seg(1, 'Domicile', { declared_label: 'Bus' }), seg(2, 'Domicile')],
      [stop(-60, 4), move(4, 12.5, 'Bus', 0.8)],
      [],
    );
    expect(timeline.map(brief)).toEqual([
      ['Domicile', 'stop', 1],
      ['Bus', 'gps', 0.8],
      ['Bus', 'gps', 0.8],
    ]);
    expect(timeline[1]?.label_group).toBe('transport');
    expect(timeline[1]?.match).toBe(true);
    expect(timeline[0]?.episode_ids).toBe('2024-03-05T07:00:00.000Z,2024-03-05T08:04:00.000Z');
    expect(timeline[2]?.episode_ids).toBe('2024-03-05T08:04:00.000Z');
  });

  it('ignores a move below the probability threshold', () => {
    const timeline = fuseTimeline([seg(0, 'Métro')], [move(0, 5, 'Bus', 0.55)], []);
    expect(timeline.map(brief)).toEqual([['Métro', 'sensors', 0.7]]);
  });

  it('gives the segments inside a stop the stop majority label (stop)', () => {
    const timeline = fuseTimeline(
      [seg(0, 'Bureau'), seg(1, 'Magasin', { declared_label: 'Magasin' }), seg(2, 'Bureau'), seg(3, null), seg(4, 'Walk')],
      [stop(0, 18), move(18, 25, 'Walk', 0.5)],
      [],
    );
    expect(timeline.map(brief)).toEqual([
      ['Bureau', 'stop', 2 / 3],
      ['Bureau', 'stop', 2 / 3],
      ['Bureau', 'stop', 2 / 3],
      ['Bureau', 'stop', 2 / 3],
      ['Walk', 'sensors', 0.7],
    ]);
    expect(timeline[1]?.match).toBe(false);
  });

  it('smooths a single-segment glitch between two equal labels', () => {
    const timeline = fuseTimeline([seg(0, 'Walk', { confidence: 0.9 }), seg(1, 'Domicile'), seg(2, 'Walk'), seg(3, 'Walk'), seg(4, 'Bus')], [], []);
    expect(timeline.map(brief)).toEqual([
      ['Walk', 'sensors', 0.9],
      ['Walk', 'sensors', 0.9],
      ['Walk', 'sensors', 0.7],
      ['Walk', 'sensors', 0.7],
      ['Bus', 'sensors', 0.7],
    ]);
  });

  it('lets a review decision override GPS and smoothing, the latest decision winning', () => {
    const timeline = fuseTimeline(
      [seg(0, 'Bus'), seg(1, 'Bus', { declared_label: 'Walk' }), seg(2, 'Bus')],
      [move(0, 15, 'Bus', 0.9)],
      [decision(1, 'Rue', 20), decision(1, 'Vélo', 10), decision(2, 'Spaceship', 30)],
    );
    expect(timeline.map(brief)).toEqual([
      ['Bus', 'gps', 0.9],
      ['Walk', 'review', 1],
      ['Bus', 'gps', 0.9],
    ]);
    expect(timeline[1]?.label_group).toBe('outdoor');
    expect(timeline[1]?.match).toBe(true);
  });

  it('treats inputs as upserts: the last segment and episode per start win; output sorted', () => {
    const timeline = fuseTimeline(
      [seg(1, 'Bus'), seg(0, 'Walk'), seg(1, 'Voiture')],
      [move(0, 3, 'Bus', 0.9), move(0, 10, 'Train', 0.9)],
      [],
    );
    expect(timeline.map((e) => [e.segment_start, e.final_label, e.source])).toEqual([
      [at(0), 'Train', 'gps'],
      [at(5), 'Train', 'gps'],
    ]);
  });

  it('leaves an unknown sensor label null without a group', () => {
    const [entry] = fuseTimeline([seg(0, 'Inconnu', { confidence: null })], [], []);
    expect([entry?.final_label, entry?.label_group, entry?.source, entry?.confidence, entry?.match]).toEqual([null, null, 'sensors', null, null]);
  });

  it('is empty without segments', () => {
    expect(fuseTimeline([], [stop(0, 10)], [decision(0, 'Bus')])).toEqual([]);
  });
});

describe('fuseTimeline review flags (docs/design.md §5.2: a budget, not a filter)', () => {
  /** Segments first…first+n−1, declared Domicile and predicted so at 0.7, except those given. */
  function day(first: number, n: number, odd: Record<number, Parameters<typeof seg>[2] & { label?: string }> = {}) {
    return Array.from({ length: n }, (_, k) => {
      const i = first + k;
      const { label = 'Domicile', ...values } = odd[i] ?? {};
      return seg(i, label, { declared_label: 'Domicile', ...values });
    });
  }
  const flags = (timeline: ReturnType<typeof fuseTimeline>) => timeline.flatMap((e, k) => (e.needs_review ? [[k, e.review_reason]] : []));
  // Two Bus segments in a row (not a glitch) contradict the declaration: wrong with 0.3 × 0.9 / (0.3 × 0.9 + 0.7 × 0.1) = 0.794;
  // an undeclared Bureau at 0.4 after them is a low confidence without GPS: wrong with 0.6.
  const odd = { 5: { label: 'Bus' }, 6: { label: 'Bus' }, 7: { label: 'Bureau', confidence: 0.4, declared_label: null } };

  it('flags nothing on a day of 19 segments (5 % rounds down to none)', () => {
    expect(flags(fuseTimeline(day(0, 19, odd), [], []))).toEqual([]);
  });

  it('flags the likeliest wrong of 20 segments, with its reason and probability', () => {
    const timeline = fuseTimeline(day(0, 20, odd), [], []);
    expect(flags(timeline)).toEqual([[5, 'contradicts_declaration']]);
    expect(timeline[5]?.review_wrong_probability).toBeCloseTo(0.27 / 0.34, 12);
    expect(timeline[7]).toMatchObject({ needs_review: false, review_reason: null, review_wrong_probability: expect.closeTo(0.6, 12) });
  });

  it('flags three of 60 segments, most likely wrong first', () => {
    expect(flags(fuseTimeline(day(0, 60, odd), [], []))).toEqual([
      [5, 'contradicts_declaration'],
      [6, 'contradicts_declaration'],
      [7, 'low_confidence_no_gps'],
    ]);
  });

  it('counts the budget per local day: 20 segments across midnight in Paris are two short days', () => {
    // Segment 180 starts at midnight in Paris (T0 is 09:00 there).
    const across = { 183: { label: 'Bus' }, 184: { label: 'Bus' } };
    expect(flags(fuseTimeline(day(170, 20, across), [], []))).toEqual([]);
    expect(flags(fuseTimeline(day(180, 20, across), [], []))).toEqual([[3, 'contradicts_declaration']]);
  });

  it('does not call a low confidence backed by a GPS stop low_confidence_no_gps', () => {
    // Two in a row: a single one between two Domicile would be smoothed away as a glitch.
    const unsure = { label: 'Bureau', confidence: 0.4, declared_label: null };
    const segments = day(0, 20, { 7: unsure, 8: unsure });
    expect(flags(fuseTimeline(segments, [], []))).toEqual([[7, 'low_confidence_no_gps']]);
    // Inside a stop the label is the stop's majority (Domicile, source stop): no candidate.
    expect(flags(fuseTimeline(segments, [stop(-60, 200)], []))).toEqual([]);
  });

  it('keeps the flag of a reviewed segment, so a decision answers it instead of moving the budget', () => {
    const timeline = fuseTimeline(day(0, 20, odd), [], [decision(5, 'Domicile')]);
    expect(flags(timeline)).toEqual([[5, 'contradicts_declaration']]);
    expect(timeline[5]).toMatchObject({ final_label: 'Domicile', source: 'review', confidence: 1 });
  });
});
