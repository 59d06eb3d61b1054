import { describe, expect, it } from 'vitest';
import { defaultTimelineFusionParams, fuseTimeline } from '../fusion/fuse-timeline.js';
import type { ActivitySegmentRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';
import { at, decision, move, P, seg, stop } from '../test-fixtures.js';
import { createIncrementalFusion, fusedEntry, noteDecision, noteEpisode, noteSegment, refreshFusion, type IncrementalFusion } from './incremental-fusion.js';
import { createReferenceTimelineState, referenceUpdateTimelineState } from './test-full-recompute-reference.js';
import { createTimelineState, defaultTimelineStreamParams, type TimelineStreamParams } from './timeline-state.js';
import { updateTimelineState, type TimelineInput } from './update-timeline-state.js';

const params = { ...defaultTimelineFusionParams, review: { ...defaultTimelineFusionParams.review, timeZone: 'Europe/Paris' } };

/** A fusion holding `segments` and `episodes`, refreshed once. */
function fusionOf(segments: ActivitySegmentRecord[], episodes: GpsEpisodeRecord[]): IncrementalFusion {
  const fusion = createIncrementalFusion();
  for (const s of segments) noteSegment(fusion, s);
  for (const e of episodes) noteEpisode(fusion, undefined, e);
  refreshFusion(fusion, params);
  return fusion;
}
const entries = (fusion: IncrementalFusion) => fusion.order.map((start) => fusedEntry(fusion, start));
const minutes = (starts: number[]) => starts.map((ms) => (ms - at(0)) / 60_000);

describe('refreshFusion', () => {
  const day = Array.from({ length: 40 }, (_, i) => seg(i, i % 7 === 3 ? 'Bureau' : 'Domicile'));

  it('gives fuseTimeline’s entries', () => {
    const episodes = [stop(0, 50), move(52, 70, 'Bus', 0.8), stop(71, 200)];
    expect(entries(fusionOf(day, episodes))).toEqual(fuseTimeline(day, episodes, [], params));
  });

  /** Refreshes and returns the minutes of the changed entries and how many entries were built. */
  const refresh = (fusion: IncrementalFusion) => {
    const builtBefore = fusion.entriesBuilt;
    const changed = minutes(refreshFusion(fusion, params));
    return { changed, built: fusion.entriesBuilt - builtBefore };
  };

  it('rebuilds a late move’s segments and two on each side, not the day', () => {
    const fusion = fusionOf(day, []);
    noteEpisode(fusion, undefined, move(100, 110, 'Bus', 0.9));
    // The move covers segments 20 and 21 (minutes 100–110) and touches 22 (an episode id); smoothing reads two on each side.
    expect(refresh(fusion)).toEqual({ changed: [100, 105, 110], built: 6 });
    expect(entries(fusion)).toEqual(fuseTimeline(day, [move(100, 110, 'Bus', 0.9)], [], params));
  });

  it('rebuilds only the end of a growing stop while its votes hold, and every member when its share moves', () => {
    const fusion = fusionOf(day, [stop(0, 30.5)]);
    // Segment 6 (minutes 30–35) is covered 30 s, then 90 s: under half, so it stays outside.
    noteEpisode(fusion, stop(0, 30.5), stop(0, 31.5));
    expect(refresh(fusion)).toEqual({ changed: [], built: 1 });
    // Now it is inside: Domicile has 6 of 7 votes instead of 5 of 6, so every member's confidence moves.
    noteEpisode(fusion, stop(0, 31.5), stop(0, 35));
    expect(refresh(fusion)).toEqual({ changed: [0, 5, 10, 15, 20, 25, 30, 35], built: 9 });
    expect(entries(fusion)).toEqual(fuseTimeline(day, [stop(0, 35)], [], params));
    // The same end again: nothing to do.
    noteEpisode(fusion, stop(0, 35), stop(0, 35));
    expect(refresh(fusion)).toEqual({ changed: [], built: 0 });
  });

  it('rebuilds a reviewed segment and the two on each side', () => {
    const fusion = fusionOf(day, []);
    noteDecision(fusion, at(50), decision(10, 'Walk'));
    expect(refresh(fusion)).toEqual({ changed: [50], built: 5 });
    expect(entries(fusion)).toEqual(fuseTimeline(day, [], [decision(10, 'Walk')], params));
  });
});

/** A deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

interface Scenario {
  readonly params: TimelineStreamParams;
  readonly inputs: TimelineInput[];
}

const LABELS = ['Domicile', 'Bureau', 'Walk', 'Bus', 'Rue', 'Magasin', 'Inconnu', null];
const MODES = ['Bus', 'Walk', 'Métro', 'Voiture', 'Inconnu', null];

/**
 * A random participant's records in a random arrival: 5-minute or hourly segments over up to three
 * days with gaps, some re-sent changed; stops and moves that grow (re-sent under their start, a
 * move without its mode until it ends), now and then re-sent as the other kind; review decisions
 * with ties and non-canonical labels, some for segments never held; some records very late; cut
 * into batches of 1 to 5 records with idle flushes here and there.
 */
function scenario(seed: number): Scenario {
  const random = lcg(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const hourly = random() < 0.4;
  const segmentMs = hourly ? 3_600_000 : 300_000;
  const params: TimelineStreamParams = {
    ...defaultTimelineStreamParams,
    segmentMs,
    latenessMs: hourly ? 1_200_000 : 120_000,
    retentionMs: hourly ? 7_200_000 : 3_600_000,
    timeZone: pick(['Europe/Paris', 'UTC', 'America/Sao_Paulo']),
    fusion: {
      ...defaultTimelineFusionParams,
      smoothGlitches: random() < 0.85,
      review: { ...defaultTimelineFusionParams.review, maxShare: pick([0.05, 0.2]) },
    },
  };
  const startMs = Date.UTC(2024, 2, 5, Math.floor(random() * 24));
  const count = hourly ? 20 + Math.floor(random() * 50) : 20 + Math.floor(random() * 130);
  const endMs = startMs + count * segmentMs;
  const arrivals: { atMs: number; input: TimelineInput }[] = [];
  const lateBy = () => (random() < 0.1 ? random() * 6 * segmentMs : random() * 0.3 * segmentMs);
  const value = () => (random() < 0.15 ? null : Math.round(random() * 1000) / 10);

  for (let i = 0; i < count; i++) {
    if (random() < 0.08) continue;
    const s = startMs + i * segmentMs;
    const segment = (): ActivitySegmentRecord => ({
      ...seg(0, pick(LABELS)),
      segment_start: s,
      segment_end: s + segmentMs,
      minutes: Math.floor(random() * 6),
      confidence: random() < 0.1 ? null : random(),
      declared_label: random() < 0.3 ? pick(LABELS) : null,
      pm25_mean: value(),
      bc_mean: value(),
      no2_mean: value(),
      temperature_mean: value(),
    });
    arrivals.push({ atMs: s + segmentMs + lateBy(), input: { segments: [segment()] } });
    if (random() < 0.05) arrivals.push({ atMs: s + segmentMs + random() * 8 * segmentMs, input: { segments: [segment()] } });
  }
  for (let i = 0; i < count; i++) {
    if (random() >= 0.1) continue;
    const s = startMs + i * segmentMs;
    const review = (): ReviewDecisionRecord => ({ ...decision(0, pick([...LABELS, 'Parc', 'Vélo']) ?? 'nan'), segment_start: s, decided_at: Math.floor(random() * 3) });
    arrivals.push({ atMs: s + random() * 10 * segmentMs, input: { decisions: [review()] } });
    if (random() < 0.3) arrivals.push({ atMs: s + random() * 10 * segmentMs, input: { decisions: [review()] } });
  }
  let isStop = random() < 0.5;
  for (let t = startMs - Math.floor(random() * segmentMs); t < endMs; isStop = random() < 0.8 ? !isStop : isStop) {
    const durationMs = Math.floor((0.2 + random() * 4) * segmentMs / 1000) * 1000;
    const final: GpsEpisodeRecord = isStop ? { ...stop(0, 0), episode_start: t, episode_end: t + durationMs } : { ...move(0, 0, pick(MODES), random() < 0.1 ? null : random()), episode_start: t, episode_end: t + durationMs };
    const versions = 1 + Math.floor(random() * 4);
    for (let v = 1; v <= versions; v++) {
      const endAt = t + Math.floor((durationMs * v) / versions);
      const open = v < versions;
      let episode: GpsEpisodeRecord = open && !isStop ? { ...final, episode_end: endAt, transport_mode: null, transport_probability: null } : { ...final, episode_end: endAt };
      if (random() < 0.05) episode = isStop ? { ...move(0, 0, pick(MODES), random()), episode_start: t, episode_end: endAt } : { ...stop(0, 0), episode_start: t, episode_end: endAt };
      arrivals.push({ atMs: endAt + lateBy(), input: { episodes: [episode] } });
    }
    t += durationMs + Math.floor(random() * 0.5 * segmentMs);
  }

  arrivals.sort((a, b) => a.atMs - b.atMs);
  const inputs: TimelineInput[] = [];
  for (let i = 0; i < arrivals.length; ) {
    const batch = arrivals.slice(i, (i += 1 + Math.floor(random() * 5))).map((a) => a.input);
    inputs.push({
      segments: batch.flatMap((b) => b.segments ?? []),
      episodes: batch.flatMap((b) => b.episodes ?? []),
      decisions: batch.flatMap((b) => b.decisions ?? []),
      ...(random() < 0.15 ? { flush: true } : {}),
    });
    if (random() < 0.1) inputs.push({ flush: true });
  }
  inputs.push({ flush: true });
  return { params, inputs };
}

describe('updateTimelineState, incremental', () => {
  it('emits exactly what the full recomputation emits, update by update, on 150 random arrivals', () => {
    let updates = 0;
    let emitted = 0;
    let evicted = 0;
    let dropped = 0;
    const sources = new Map<string, number>();
    let flagged = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { params: stream, inputs } = scenario(seed);
      const state = createTimelineState(P);
      const reference = createReferenceTimelineState(P);
      inputs.forEach((input, i) => {
        const got = updateTimelineState(state, input, stream);
        const want = referenceUpdateTimelineState(reference, input, stream);
        expect(got, `seed ${seed}, update ${i}`).toStrictEqual(want);
        updates += 1;
        emitted += got.timeline.length;
        dropped += got.droppedLate;
        for (const e of got.timeline) {
          sources.set(e.source, (sources.get(e.source) ?? 0) + 1);
          if (e.needs_review) flagged += 1;
        }
      });
      expect([state.horizonMs, state.retainFromMs, Object.keys(state.segments), Object.keys(state.episodes), Object.keys(state.decisions)]).toEqual([
        reference.horizonMs,
        reference.retainFromMs,
        Object.keys(reference.segments),
        Object.keys(reference.episodes),
        Object.keys(reference.decisions),
      ]);
      // What the state holds fuses, after the changes the last update left (forgetting), as fuseTimeline.
      const fusionParams = { ...stream.fusion, review: { ...stream.fusion.review, timeZone: stream.timeZone } };
      refreshFusion(state.fusion, fusionParams);
      const held = fuseTimeline(Object.values(state.segments), Object.values(state.episodes), Object.values(state.decisions), fusionParams);
      expect(entries(state.fusion), `seed ${seed}, held entries`).toStrictEqual(held);
      const fed = new Set(inputs.flatMap((input) => (input.segments ?? []).map((segment) => segment.segment_start)));
      if (Object.keys(reference.segments).length < fed.size) evicted += 1;
    }
    // The scenarios reach what they are meant to: re-emissions of every source, flags, forgetting.
    expect(updates).toBeGreaterThan(4_000);
    expect(emitted).toBeGreaterThan(updates);
    expect(Math.min(...['gps', 'stop', 'sensors', 'review'].map((source) => sources.get(source) ?? 0))).toBeGreaterThan(300);
    expect(flagged).toBeGreaterThan(300);
    expect(evicted).toBeGreaterThan(30);
  }, 60_000);
});
