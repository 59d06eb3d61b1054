/**
 * Test support: the streaming update as it was before it became incremental, re-fusing every held
 * record with {@link fuseTimeline} and recomputing each changed day's exposure from its emitted
 * entries. The incremental {@link updateTimelineState} must give exactly its outputs.
 */
import { computeDailyExposure } from '../exposure/daily-exposure.js';
import { localDay, localDayStartMs } from '../exposure/local-day.js';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import type { ActivitySegmentRecord, ActivityTimelineRecord, ExposureDailyRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';
import type { TimelineStreamParams } from './timeline-state.js';
import type { TimelineInput, TimelineUpdate } from './update-timeline-state.js';

/** The records the full recomputation keeps, as the state kept them. */
export interface ReferenceTimelineState {
  readonly participant: string;
  segments: Record<string, ActivitySegmentRecord>;
  episodes: Record<string, GpsEpisodeRecord>;
  decisions: Record<string, ReviewDecisionRecord>;
  emitted: Record<string, ActivityTimelineRecord>;
  maxSegmentEndMs: number | null;
  maxEpisodeEndMs: number | null;
  flushedToMs: number | null;
  horizonMs: number | null;
  retainFromMs: number | null;
}

export function createReferenceTimelineState(participant: string): ReferenceTimelineState {
  return { participant, segments: {}, episodes: {}, decisions: {}, emitted: {}, maxSegmentEndMs: null, maxEpisodeEndMs: null, flushedToMs: null, horizonMs: null, retainFromMs: null };
}

function watermarkMs(state: ReferenceTimelineState, params: TimelineStreamParams): number | null {
  const both = state.maxSegmentEndMs === null || state.maxEpisodeEndMs === null ? null : Math.min(state.maxSegmentEndMs, state.maxEpisodeEndMs) - params.latenessMs;
  if (both === null) return state.flushedToMs;
  return state.flushedToMs === null ? both : Math.max(both, state.flushedToMs);
}

function sameEntry(a: ActivityTimelineRecord, b: ActivityTimelineRecord): boolean {
  return (Object.keys(b) as (keyof ActivityTimelineRecord)[]).every((key) => Object.is(a[key], b[key]));
}

function evictBefore<T>(records: Record<string, T>, keep: (record: T) => boolean): void {
  for (const [key, record] of Object.entries(records)) if (!keep(record)) delete records[key];
}

/** The update of the full recomputation: same inputs, same outputs as updateTimelineState is to give. */
export function referenceUpdateTimelineState(state: ReferenceTimelineState, input: TimelineInput, params: TimelineStreamParams): TimelineUpdate {
  const keepFromMs = state.retainFromMs ?? -Infinity;
  const lateDecisions: ReviewDecisionRecord[] = [];
  let droppedLate = 0;
  for (const segment of input.segments ?? []) {
    if (segment.segment_end <= keepFromMs) {
      droppedLate += 1;
      continue;
    }
    state.segments[String(segment.segment_start)] = segment;
    state.maxSegmentEndMs = Math.max(state.maxSegmentEndMs ?? -Infinity, segment.segment_end);
  }
  for (const episode of input.episodes ?? []) {
    if (episode.episode_end < keepFromMs - params.segmentMs) {
      droppedLate += 1;
      continue;
    }
    state.episodes[String(episode.episode_start)] = episode;
    state.maxEpisodeEndMs = Math.max(state.maxEpisodeEndMs ?? -Infinity, episode.episode_end);
  }
  for (const decision of input.decisions ?? []) {
    if (state.horizonMs !== null && decision.segment_start < state.horizonMs) {
      lateDecisions.push(decision);
      continue;
    }
    const key = String(decision.segment_start);
    if (!state.segments[key]) lateDecisions.push(decision);
    const current = state.decisions[key];
    if (!current || decision.decided_at >= current.decided_at) state.decisions[key] = decision;
  }
  if (input.flush) {
    const seen = [state.maxSegmentEndMs, state.maxEpisodeEndMs].filter((ms): ms is number => ms !== null);
    if (seen.length > 0) state.flushedToMs = Math.max(state.flushedToMs ?? -Infinity, ...seen);
  }

  const watermark = watermarkMs(state, params);
  const emitFromMs = state.horizonMs ?? -Infinity;
  const changed: ActivityTimelineRecord[] = [];
  const fusion = { ...params.fusion, review: { ...params.fusion.review, timeZone: params.timeZone } };
  const fused = fuseTimeline(Object.values(state.segments), Object.values(state.episodes), Object.values(state.decisions), fusion);
  for (const entry of fused) {
    if (entry.segment_start < emitFromMs) continue;
    const key = String(entry.segment_start);
    const previous = state.emitted[key];
    const final = watermark !== null && entry.segment_end <= watermark;
    if (!previous && !final) continue;
    if (previous && sameEntry(previous, entry)) continue;
    state.emitted[key] = entry;
    changed.push(entry);
  }

  const exposure: ExposureDailyRecord[] = [];
  const days = [...new Set(changed.map((e) => localDay(e.segment_start, params.timeZone)))].sort((a, b) => a - b);
  for (const day of days) {
    const entries = Object.values(state.emitted).filter((e) => localDay(e.segment_start, params.timeZone) === day);
    exposure.push(...computeDailyExposure(entries, { timeZone: params.timeZone }));
  }

  if (watermark !== null) {
    const nextHorizonMs = localDayStartMs(localDay(watermark - params.retentionMs, params.timeZone), params.timeZone);
    const horizonMs = Math.max(state.horizonMs ?? -Infinity, nextHorizonMs);
    const contextMs = horizonMs - 2 * params.segmentMs;
    let retainFromMs = contextMs;
    for (const e of Object.values(state.episodes)) {
      if (e.episode_type === 'stop' && e.episode_end >= contextMs && e.episode_start < retainFromMs) retainFromMs = e.episode_start;
    }
    const fromMs = Math.max(state.retainFromMs ?? -Infinity, retainFromMs);
    state.horizonMs = horizonMs;
    state.retainFromMs = fromMs;
    evictBefore(state.segments, (s) => s.segment_end > fromMs);
    evictBefore(state.episodes, (e) => e.episode_end >= fromMs - params.segmentMs);
    evictBefore(state.decisions, (d) => d.segment_start >= horizonMs);
    evictBefore(state.emitted, (e) => e.segment_start >= horizonMs);
  }
  return { timeline: changed, exposure, lateDecisions, droppedLate };
}
