import { describe, expect, it } from 'vitest';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import type { ActivitySegmentRecord, ActivityTimelineRecord, ExposureDailyRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';
import { at, decision, move, P, seg, stop } from '../test-fixtures.js';
import { createTimelineState, timelineEarliestNeededMs, timelineWatermarkMs } from './timeline-state.js';
import { updateTimelineState, type TimelineInput } from './update-timeline-state.js';

const brief = (e: ActivityTimelineRecord) => [e.segment_start, e.final_label, e.source];
/** The exposure rows of micro-environments present in the day; the others come with 0 minutes. */
const spent = (rows: readonly ExposureDailyRecord[]) => rows.filter((r) => r.minutes > 0);
const DAY = 19787; // 2024-03-05 in Paris

describe('updateTimelineState', () => {
  it('emits a segment once both watermarks (greatest end − 2 min) have passed its end', () => {
    const state = createTimelineState(P);
    const segments = [0, 1, 2, 3, 4, 5].map((i) => seg(i, 'Domicile'));
    expect(updateTimelineState(state, { segments }).timeline).toEqual([]);
    const { timeline, exposure } = updateTimelineState(state, { episodes: [stop(0, 20)] });
    // min(30, 20) − 2 = minute 18: segments ending at 5, 10 and 15 are final.
    expect(timelineWatermarkMs(state)).toBe(at(18));
    expect(timeline.map(brief)).toEqual([
      [at(0), 'Domicile', 'stop'],
      [at(5), 'Domicile', 'stop'],
      [at(10), 'Domicile', 'stop'],
    ]);
    expect(spent(exposure).map((r) => [r.day, r.micro_environment, r.minutes])).toEqual([[DAY, 'Domicile', 15]]);
    // One row per canonical label and `unknown`: the others with 0 minutes and no values.
    expect(exposure.map((r) => r.micro_environment).sort()).toEqual([...CANONICAL_LABELS, 'unknown'].sort());
    expect(exposure.filter((r) => r.micro_environment !== 'Domicile').every((r) => r.day === DAY && r.minutes === 0 && r.bc_mean === null)).toBe(true);
  });

  it('emits everything on an idle flush, then never repeats an unchanged entry', () => {
    const state = createTimelineState(P);
    const input: TimelineInput = { segments: [seg(0, 'Walk'), seg(1, 'Walk')] };
    expect(updateTimelineState(state, input).timeline).toEqual([]);
    expect(updateTimelineState(state, { flush: true }).timeline.map(brief)).toEqual([
      [at(0), 'Walk', 'sensors'],
      [at(5), 'Walk', 'sensors'],
    ]);
    expect(updateTimelineState(state, input)).toEqual({ timeline: [], exposure: [], lateDecisions: [], droppedLate: 0 });
    expect(updateTimelineState(state, { flush: true }).timeline).toEqual([]);
  });

  it('re-emits entries changed by a late episode and a review, with their days exposure', () => {
    const state = createTimelineState(P);
    updateTimelineState(state, { segments: [0, 1, 2, 3].map((i) => seg(i, 'Domicile', { bc_mean: 1000 * (i + 1) })) });
    const first = updateTimelineState(state, { flush: true });
    expect(first.timeline.map(brief)).toEqual([0, 5, 10, 15].map((m) => [at(m), 'Domicile', 'sensors']));
    expect(spent(first.exposure).map((r) => [r.micro_environment, r.minutes, r.bc_time_integrated_concentration, r.bc_share])).toEqual([['Domicile', 20, 50000, 1]]);

    const late = updateTimelineState(state, { episodes: [move(10, 20, 'Bus', 0.9)] });
    expect(late.timeline.map(brief)).toEqual([
      [at(10), 'Bus', 'gps'],
      [at(15), 'Bus', 'gps'],
    ]);
    expect(spent(late.exposure).map((r) => [r.micro_environment, r.minutes, r.bc_time_integrated_concentration, r.bc_share])).toEqual([
      ['Bus', 10, 35000, 0.7],
      ['Domicile', 10, 15000, 0.3],
    ]);

    const reviewed = updateTimelineState(state, { decisions: [decision(2, 'Walk'), decision(3, 'Walk')] });
    expect(reviewed.timeline.map(brief)).toEqual([
      [at(10), 'Walk', 'review'],
      [at(15), 'Walk', 'review'],
    ]);
    // Bus left the day: it comes back with zero minutes so that the upsert overwrites it.
    expect(spent(reviewed.exposure).map((r) => [r.micro_environment, r.minutes, r.bc_time_integrated_concentration, r.bc_share])).toEqual([
      ['Domicile', 10, 15000, 0.3],
      ['Walk', 10, 35000, 0.7],
    ]);
    expect(reviewed.exposure.find((r) => r.micro_environment === 'Bus')).toMatchObject({ minutes: 0, bc_mean: null, bc_time_integrated_concentration: 0, bc_share: 0 });
    expect(updateTimelineState(state, { decisions: [decision(3, 'Walk', 2000)] }).timeline).toEqual([]);
  });

  it('ends with the same entries as the batch fusion, however the records are batched', () => {
    const segments = [seg(0, 'Bureau'), seg(1, 'Magasin'), seg(2, 'Bureau'), seg(3, 'Walk'), seg(4, 'Domicile'), seg(5, 'Bus'), seg(6, 'Bus'), seg(7, 'Walk')];
    const episodes = [stop(0, 12), stop(0, 16), move(16, 24, 'Walk', 0.8), move(24, 36, 'Bus', 0.7), stop(36, 45)];
    const decisions = [decision(7, 'Parc')];
    const expected = fuseTimeline(segments, episodes, decisions);

    const run = (inputs: TimelineInput[]): Map<number, ActivityTimelineRecord> => {
      const state = createTimelineState(P);
      const last = new Map<number, ActivityTimelineRecord>();
      for (const input of [...inputs, { flush: true }]) for (const e of updateTimelineState(state, input).timeline) last.set(e.segment_start, e);
      return last;
    };
    const oneByOne: TimelineInput[] = [];
    for (let i = 0; i < 8; i++) {
      oneByOne.push({ segments: [segments[i] as ActivitySegmentRecord] });
      const episode = episodes[i];
      if (episode) oneByOne.push({ episodes: [episode as GpsEpisodeRecord] });
    }
    oneByOne.push({ decisions: decisions as ReviewDecisionRecord[] });
    const batchings = [[{ segments, episodes, decisions }], oneByOne, [{ episodes }, { decisions }, { segments }]];
    for (const inputs of batchings) expect([...run(inputs).values()]).toEqual(expected);
  });

  it('ends with the batch fusion\'s review flags when a day arrives one segment at a time with idle flushes between', () => {
    // 40 segments, so a budget of 2. Bus declared Domicile at 0.6, 0.5, 0.4: wrong with 0.857, 0.9, 0.931; each
    // provisional flush flags the likeliest so far, so segment 30 is flagged, then unflagged when 32 comes.
    const segments = Array.from({ length: 40 }, (_, i) =>
      seg(i, i >= 30 && i < 33 ? 'Bus' : 'Domicile', { declared_label: 'Domicile', confidence: i >= 30 && i < 33 ? 0.6 - 0.1 * (i - 30) : 0.9 }),
    );
    const expected = fuseTimeline(segments, [], []);
    expect(expected.flatMap((e, i) => (e.needs_review ? [i] : []))).toEqual([31, 32]);
    const state = createTimelineState(P);
    const last = new Map<number, ActivityTimelineRecord>();
    for (const segment of segments) for (const e of updateTimelineState(state, { segments: [segment], flush: true }).timeline) last.set(e.segment_start, e);
    expect([...last.values()]).toEqual(expected);
  });

  it('keeps the stop reaching into the horizon, forgets older records and reports late ones', () => {
    const state = createTimelineState(P);
    const nextDay = (hour: number, minute = 0) => Date.UTC(2024, 2, 6, hour, minute);
    const night = { ...stop(0, 0), episode_start: Date.UTC(2024, 2, 5, 21, 0), episode_end: nextDay(7) };
    const morning = [0, 5, 10].map((m) => ({ ...seg(0, 'Walk'), segment_start: nextDay(11, m), segment_end: nextDay(11, m + 5) }));
    const first = updateTimelineState(state, { segments: [seg(0, 'Domicile'), ...morning], episodes: [night, { ...stop(0, 0), episode_start: nextDay(8), episode_end: nextDay(12) }] });
    expect(first.timeline.map((e) => e.segment_start)).toEqual([at(0), nextDay(11), nextDay(11, 5)]);
    // Watermark min(11:15, 12:00) − 2 min = 11:13 UTC on the 6th; minus one hour, that is the 6th in Paris, from 23:00 UTC on
    // the 5th. The night stop reaches into it, so its votes are kept from its start, 21:00 UTC.
    expect(state.horizonMs).toBe(Date.UTC(2024, 2, 5, 23, 0));
    expect(state.retainFromMs).toBe(Date.UTC(2024, 2, 5, 21, 0));
    expect(Object.keys(state.segments)).toEqual([nextDay(11), nextDay(11, 5), nextDay(11, 10)].map(String));
    expect([...state.emitted.values()].flatMap((day) => [...day.keys()])).toEqual([nextDay(11), nextDay(11, 5)]);
    expect(timelineEarliestNeededMs(state)).toBe(Date.UTC(2024, 2, 5, 21, 0));

    const tooLate = updateTimelineState(state, { segments: [seg(1, 'Bus')], decisions: [decision(0, 'Bus')] });
    expect(tooLate.droppedLate).toBe(1);
    expect(tooLate.lateDecisions).toEqual([decision(0, 'Bus')]);
    expect(tooLate.timeline).toEqual([]);
  });

  it('stays bounded over days of night stops, commutes and office stops', () => {
    const state = createTimelineState(P);
    const hour = (day: number, h: number) => Date.UTC(2024, 2, 5 + day, h, 0);
    for (let day = 0; day < 5; day++) {
      const segments: ActivitySegmentRecord[] = [];
      for (let t = hour(day, 0); t < hour(day + 1, 0); t += 300_000) segments.push({ ...seg(0, 'Bureau'), segment_start: t, segment_end: t + 300_000 });
      const episodes = [
        { ...stop(0, 0), episode_start: hour(day - 1, 20) + 600_000, episode_end: hour(day, 7) },
        { ...move(0, 0, 'Bus', 0.9), episode_start: hour(day, 7), episode_end: hour(day, 8) },
        { ...stop(0, 0), episode_start: hour(day, 8), episode_end: hour(day, 20) },
        { ...move(0, 0, 'Walk', 0.9), episode_start: hour(day, 20), episode_end: hour(day, 20) + 600_000 },
      ];
      updateTimelineState(state, { segments, episodes });
    }
    // Watermark min(00:00 on the 10th, 20:10 on the 9th) − 2 min, − 1 h: the 9th in Paris, from
    // 23:00 UTC on the 8th. The night stop from 20:10 on the 8th reaches into it; the walk before
    // it (20:00–20:10) relates to the first kept segment; the older office stop is gone.
    expect(state.horizonMs).toBe(hour(3, 23));
    expect(state.retainFromMs).toBe(hour(3, 20) + 600_000);
    expect(timelineEarliestNeededMs(state)).toBe(hour(3, 20));
    expect(Object.values(state.episodes).map((e) => [e.episode_start, e.episode_type])).toEqual([
      [hour(3, 20), 'move'],
      [hour(3, 20) + 600_000, 'stop'],
      [hour(4, 7), 'move'],
      [hour(4, 8), 'stop'],
      [hour(4, 20), 'move'],
    ]);
  });

  it('hands a decision for a segment it does not hold to the warehouse path, and keeps it for when the segment comes', () => {
    // A fresh state: the participant's was evicted after a silence, and a reviewer decides on yesterday.
    const state = createTimelineState(P);
    const review = updateTimelineState(state, { decisions: [decision(0, 'Walk')] });
    expect(review.lateDecisions).toEqual([decision(0, 'Walk')]);
    expect(review.timeline).toEqual([]);
    // Had the segment only been late, the stream applies the decision when it arrives.
    updateTimelineState(state, { segments: [seg(0, 'Bus')] });
    expect(updateTimelineState(state, { flush: true }).timeline.map(brief)).toEqual([[at(0), 'Walk', 'review']]);
    // A decision for a segment the state holds is applied here, not handed on.
    expect(updateTimelineState(state, { decisions: [decision(0, 'Parc', 2000)] }).lateDecisions).toEqual([]);
  });

  it('refuses another participant’s record', () => {
    expect(() => updateTimelineState(createTimelineState('p2'), { segments: [seg(0, 'Bus')] })).toThrow(RangeError);
  });
});
