import type { ActivitySegmentRecord, ActivityTimelineRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';
import { defaultTimelineFusionParams, type TimelineFusionParams } from '../fusion/fuse-timeline.js';
import { createIncrementalFusion, type IncrementalFusion } from './incremental-fusion.js';

export interface TimelineStreamParams {
  readonly fusion: TimelineFusionParams;
  /** Allowed lateness of each input side behind its maximum event time, ms (docs/design.md §4). */
  readonly latenessMs: number;
  /**
   * How long entries stay open to late records after the watermark passed them, ms; the horizon
   * is then moved back to the start of its local day so that a day's exposure can be recomputed.
   */
  readonly retentionMs: number;
  /** Length of an activity segment, ms. */
  readonly segmentMs: number;
  /** IANA time zone of the participant: exposure days and the day-aligned horizon. */
  readonly timeZone: string;
}

export const defaultTimelineStreamParams: TimelineStreamParams = Object.freeze({
  fusion: defaultTimelineFusionParams,
  latenessMs: 120_000,
  retentionMs: 3_600_000,
  segmentMs: 300_000,
  timeZone: 'Europe/Paris',
});

/**
 * One participant's streaming fusion state. Record maps are keyed by the decimal epoch ms of their
 * natural key (segment_start, episode_start); `fusion` is derived from them (the fusion of the held
 * records, kept up to date change by change) and `unemitted` lists the held segments not emitted yet.
 *
 * `horizonMs` = start of the local day of (watermark − retentionMs), only moving forward: entries
 * from it on may still be re-emitted, entries before it are final and forgotten. Retained: the
 * entries last emitted from the horizon on (re-emission diffs, recomputing a day's exposure), the
 * micro-environments last emitted per day from the horizon's day on, review decisions from the
 * horizon on, and the inputs those entries depend on: segments ending after `retainFromMs` (two
 * segments before the horizon, or earlier, the start of a stop reaching into those two segments,
 * for its majority vote), episodes ending at or after `retainFromMs − segmentMs`.
 */
export interface TimelineState {
  readonly participant: string;
  segments: Record<string, ActivitySegmentRecord>;
  episodes: Record<string, GpsEpisodeRecord>;
  decisions: Record<string, ReviewDecisionRecord>;
  /** The entries last emitted, per local day and segment_start, each day's in order of first emission (its exposure sums' order). */
  readonly emitted: Map<number, Map<number, ActivityTimelineRecord>>;
  readonly fusion: IncrementalFusion;
  readonly unemitted: Set<number>;
  /** Greatest segment_end seen, epoch ms. */
  maxSegmentEndMs: number | null;
  /** Greatest episode_end seen, epoch ms. */
  maxEpisodeEndMs: number | null;
  /** Event time up to which the last idle flush declared everything final, epoch ms. */
  flushedToMs: number | null;
  /** Start of the oldest local day that can still change, epoch ms; null until the watermark allows one. */
  horizonMs: number | null;
  /** Inputs ending before this are forgotten (see above), epoch ms; null while nothing was. */
  retainFromMs: number | null;
}

/** The empty state of a participant. */
export function createTimelineState(participant: string): TimelineState {
  return {
    participant,
    segments: {},
    episodes: {},
    decisions: {},
    emitted: new Map(),
    fusion: createIncrementalFusion(),
    unemitted: new Set(),
    maxSegmentEndMs: null,
    maxEpisodeEndMs: null,
    flushedToMs: null,
    horizonMs: null,
    retainFromMs: null,
  };
}

/**
 * The event time up to which a segment counts as final: the lower of the two sides' watermarks
 * (greatest end seen − latenessMs; a side with nothing seen holds everything back), or the last
 * idle flush if later. Null when nothing is final yet.
 *
 * @example timelineWatermarkMs({ ...state, maxSegmentEndMs: 900_000, maxEpisodeEndMs: 600_000 }, params) // 480_000
 */
export function timelineWatermarkMs(state: TimelineState, params: TimelineStreamParams = defaultTimelineStreamParams): number | null {
  const both =
    state.maxSegmentEndMs === null || state.maxEpisodeEndMs === null
      ? null
      : Math.min(state.maxSegmentEndMs, state.maxEpisodeEndMs) - params.latenessMs;
  if (both === null) return state.flushedToMs;
  return state.flushedToMs === null ? both : Math.max(both, state.flushedToMs);
}

/**
 * The earliest event time the state still needs, epoch ms: the smallest segment_start,
 * episode_start or decision segment_start it retains (null when it holds nothing). After a
 * restart, re-reading the inputs from records at or after this time rebuilds the same outputs;
 * records entirely before it may be committed.
 *
 * @example timelineEarliestNeededMs(createTimelineState('p1')) // null
 */
export function timelineEarliestNeededMs(state: TimelineState): number | null {
  let earliest: number | null = null;
  const consider = (ms: number): void => {
    if (earliest === null || ms < earliest) earliest = ms;
  };
  // Held segments in time order: the first is the earliest.
  const firstSegmentMs = state.fusion.order[0];
  if (firstSegmentMs !== undefined) consider(firstSegmentMs);
  for (const e of Object.values(state.episodes)) consider(e.episode_start);
  for (const d of Object.values(state.decisions)) consider(d.segment_start);
  return earliest;
}
