import { computeDailyExposure } from '../exposure/daily-exposure.js';
import { localDay, localDayStartMs } from '../exposure/local-day.js';
import {
  type ActivitySegmentRecord,
  type ActivityTimelineRecord,
  type ExposureDailyRecord,
  type GpsEpisodeRecord,
  type ReviewDecisionRecord,
} from '../records.js';
import { sameTimelineEntry } from '../fusion/fuse-segment.js';
import { forgetSegment, fusedEntry, noteDecision, noteEpisode, noteSegment, refreshFusion } from './incremental-fusion.js';
import { defaultTimelineStreamParams, timelineWatermarkMs, type TimelineState, type TimelineStreamParams } from './timeline-state.js';

export interface TimelineInput {
  /** New or updated segments (upsert by segment_start). */
  readonly segments?: readonly ActivitySegmentRecord[];
  /** New or updated episodes (upsert by episode_start: a growing stop comes again). */
  readonly episodes?: readonly GpsEpisodeRecord[];
  /** Review decisions (the latest decided_at per segment wins). */
  readonly decisions?: readonly ReviewDecisionRecord[];
  /** The participant's idle timeout passed: everything seen so far becomes final. */
  readonly flush?: boolean;
}

export interface TimelineUpdate {
  /** Entries new or different from what was last emitted for their segment_start, ascending. */
  readonly timeline: ActivityTimelineRecord[];
  /**
   * The exposure rows of each local day with a changed entry, the complete set of
   * {@link computeDailyExposure} (a micro-environment absent from the day comes with 0 minutes).
   * So a day's rows never depend on what was emitted before: a micro-environment that left the day
   * (a late episode, a review), even one emitted before a restart this state never saw, is
   * overwritten by the upsert.
   */
  readonly exposure: ExposureDailyRecord[];
  /**
   * Decisions the state cannot apply, for the warehouse path (reviseReviewedDay): those before the
   * horizon, and those for a segment the state does not hold (also kept, in case it comes later).
   */
  readonly lateDecisions: ReviewDecisionRecord[];
  /** Segments and episodes that arrived after the state had forgotten their time; ignored. */
  readonly droppedLate: number;
}

/** Segments kept before the horizon: glitch smoothing of a segment reads two segments on each side. */
const CONTEXT_SEGMENTS = 2;

/**
 * The horizon for watermark `watermarkMs`: the start of the local day of watermarkMs − retentionMs.
 * Entries from the horizon on may still change; everything they depend on is retained (see
 * {@link retainFromMs}).
 */
function nextHorizonMs(watermarkMs: number, params: TimelineStreamParams): number {
  return localDayStartMs(localDay(watermarkMs - params.retentionMs, params.timeZone), params.timeZone);
}

/**
 * Where retention starts for a horizon: an entry from the horizon on depends on the base labels of
 * the segments from two segments before it (glitch smoothing), each of which depends on the
 * episodes it intersects and on the sensor votes of every segment inside its stop. So segments are
 * kept from the start of the earliest stop reaching into that context (one step: voters' own
 * context is not needed), episodes from one segment earlier.
 */
function retainFromMs(state: TimelineState, horizonMs: number, params: TimelineStreamParams): number {
  const contextMs = horizonMs - CONTEXT_SEGMENTS * params.segmentMs;
  let fromMs = contextMs;
  for (const e of Object.values(state.episodes)) {
    if (e.episode_type === 'stop' && e.episode_end >= contextMs && e.episode_start < fromMs) fromMs = e.episode_start;
  }
  return fromMs;
}

function evictBefore<T>(records: Record<string, T>, keep: (record: T) => boolean, forget: (record: T) => void): void {
  for (const [key, record] of Object.entries(records)) {
    if (keep(record)) continue;
    delete records[key];
    forget(record);
  }
}

/**
 * Feeds one participant's new records to the streaming fusion (docs/design.md §4, §5.5) and returns
 * what to produce. Mutates `state`. The timeline is what {@link fuseTimeline} gives on everything
 * retained, recomputed only where the new records can change it ({@link refreshFusion}); a segment
 * is emitted once final — both sides' watermarks (greatest end
 * seen − latenessMs) have passed its segment_end, or an idle flush did — and re-emitted whenever
 * its entry changes later (a late episode, a growing stop, a review): re-emission is an upsert on
 * segment_start, never a duplicate. The set of last-emitted entries therefore does not depend on
 * how the records were batched. Exposure rows are recomputed for every local day of a changed
 * entry from the day's emitted entries. Then the horizon moves forward and older records are
 * forgotten (see TimelineState); records arriving behind them are counted, not applied.
 *
 * @example
 * const state = createTimelineState('p1');
 * const { timeline, exposure } = updateTimelineState(state, { segments, episodes });
 */
export function updateTimelineState(
  state: TimelineState,
  input: TimelineInput,
  params: TimelineStreamParams = defaultTimelineStreamParams,
): TimelineUpdate {
  const keepFromMs = state.retainFromMs ?? -Infinity;
  const lateDecisions: ReviewDecisionRecord[] = [];
  let droppedLate = 0;
  const check = (participant: string): void => {
    if (participant !== state.participant) throw new RangeError(`record of ${participant} given to the state of ${state.participant}`);
  };

  for (const segment of input.segments ?? []) {
    check(segment.participant_virtual_id);
    if (segment.segment_end <= keepFromMs) {
      droppedLate += 1;
      continue;
    }
    const key = String(segment.segment_start);
    state.segments[key] = segment;
    noteSegment(state.fusion, segment);
    if (!lastEmitted(state, segment.segment_start, params)) state.unemitted.add(segment.segment_start);
    state.maxSegmentEndMs = Math.max(state.maxSegmentEndMs ?? -Infinity, segment.segment_end);
  }
  for (const episode of input.episodes ?? []) {
    check(episode.participant_virtual_id);
    if (episode.episode_end < keepFromMs - params.segmentMs) {
      droppedLate += 1;
      continue;
    }
    const key = String(episode.episode_start);
    noteEpisode(state.fusion, state.episodes[key], episode);
    state.episodes[key] = episode;
    state.maxEpisodeEndMs = Math.max(state.maxEpisodeEndMs ?? -Infinity, episode.episode_end);
  }
  for (const decision of input.decisions ?? []) {
    check(decision.participant_virtual_id);
    if (state.horizonMs !== null && decision.segment_start < state.horizonMs) {
      lateDecisions.push(decision);
      continue;
    }
    const key = String(decision.segment_start);
    // Not held: the state may have been evicted after the participant's silence, so the warehouse
    // path corrects the stored day; kept too, for a segment that has not reached the state yet.
    if (!state.segments[key]) lateDecisions.push(decision);
    const current = state.decisions[key];
    if (!current || decision.decided_at >= current.decided_at) {
      state.decisions[key] = decision;
      noteDecision(state.fusion, decision.segment_start, decision);
    }
  }
  if (input.flush) {
    const seen = [state.maxSegmentEndMs, state.maxEpisodeEndMs].filter((ms): ms is number => ms !== null);
    if (seen.length > 0) state.flushedToMs = Math.max(state.flushedToMs ?? -Infinity, ...seen);
  }

  const watermarkMs = timelineWatermarkMs(state, params);
  const emitFromMs = state.horizonMs ?? -Infinity;
  const changed: ActivityTimelineRecord[] = [];
  // The review budget is per local day of the participant's zone, the exposure's days.
  const fusion = { ...params.fusion, review: { ...params.fusion.review, timeZone: params.timeZone } };
  // Entries that may have changed, and those still waiting to become final.
  const considered = new Set(refreshFusion(state.fusion, fusion));
  for (const start of state.unemitted) considered.add(start);
  for (const start of [...considered].sort((a, b) => a - b)) {
    const entry = fusedEntry(state.fusion, start);
    if (!entry || entry.segment_start < emitFromMs) continue;
    const previous = lastEmitted(state, start, params);
    const final = watermarkMs !== null && entry.segment_end <= watermarkMs;
    if (!previous && !final) continue;
    state.unemitted.delete(start);
    if (previous && sameTimelineEntry(previous, entry)) continue;
    const day = localDay(start, params.timeZone);
    let emittedThatDay = state.emitted.get(day);
    if (!emittedThatDay) state.emitted.set(day, (emittedThatDay = new Map()));
    emittedThatDay.set(start, entry);
    changed.push(entry);
  }

  const exposure: ExposureDailyRecord[] = [];
  const days = [...new Set(changed.map((e) => localDay(e.segment_start, params.timeZone)))].sort((a, b) => a - b);
  for (const day of days) {
    exposure.push(...computeDailyExposure([...(state.emitted.get(day)?.values() ?? [])], { timeZone: params.timeZone }));
  }

  if (watermarkMs !== null) {
    const horizonMs = Math.max(state.horizonMs ?? -Infinity, nextHorizonMs(watermarkMs, params));
    const fromMs = Math.max(state.retainFromMs ?? -Infinity, retainFromMs(state, horizonMs, params));
    // Unmoved, there is nothing to forget: records behind the horizon were refused on the way in.
    const moved = horizonMs !== state.horizonMs || fromMs !== state.retainFromMs;
    state.horizonMs = horizonMs;
    state.retainFromMs = fromMs;
    if (moved) forgetBefore(state, horizonMs, fromMs, params);
  }

  return { timeline: changed, exposure, lateDecisions, droppedLate };
}

/** The entry last emitted for a segment, if any. */
function lastEmitted(state: TimelineState, segmentStart: number, params: TimelineStreamParams): ActivityTimelineRecord | undefined {
  return state.emitted.get(localDay(segmentStart, params.timeZone))?.get(segmentStart);
}

/** Forgets the records and emitted entries that nothing from the horizon on depends on any more (see TimelineState). */
function forgetBefore(state: TimelineState, horizonMs: number, fromMs: number, params: TimelineStreamParams): void {
  evictBefore(state.segments, (s) => s.segment_end > fromMs, (s) => {
    forgetSegment(state.fusion, s.segment_start);
    state.unemitted.delete(s.segment_start);
  });
  evictBefore(state.episodes, (e) => e.episode_end >= fromMs - params.segmentMs, (e) => noteEpisode(state.fusion, e, undefined));
  evictBefore(state.decisions, (d) => d.segment_start >= horizonMs, (d) => noteDecision(state.fusion, d.segment_start, undefined));
  for (const [day, emittedThatDay] of state.emitted) {
    for (const start of emittedThatDay.keys()) if (start < horizonMs) emittedThatDay.delete(start);
    if (emittedThatDay.size === 0) state.emitted.delete(day);
  }
}
