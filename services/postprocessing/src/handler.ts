/**
 * activity.segments + gps.episodes + review.decisions → activity.timeline + exposure.daily
 * (docs/design.md §5.5, §5.6). Per participant, a timeline state joins both sides up to their
 * watermarks and re-emits a segment (an upsert) when a late episode, a growing stop or a review
 * changes it; exposure rows of every day with a changed segment are re-emitted with it.
 */
import { keyedStage, partitionKey, TOPICS, type KeyedStage, type OutputRecord } from '@polluscope/common';
import {
  createTimelineState,
  defaultTimelineStreamParams,
  timelineEarliestNeededMs,
  updateTimelineState,
  type ReviewDecisionRecord,
  type TimelineInput,
  type TimelineState,
  type TimelineStreamParams,
} from './domain/index.js';
import { holdOffset, oldestHeldOffsets, releaseOffsetsBefore, type HeldOffsets } from './held-offsets.js';
import { parsePostprocessingInput, type PostprocessingInput } from './parse-inputs.js';

interface ParticipantTimeline {
  state: TimelineState;
  /** Offsets of the input records from the earliest time the state still needs, for the commit rule. */
  readonly held: HeldOffsets;
}

export interface PostprocessingHandlerOptions {
  readonly idleTimeoutMs: number;
  readonly params?: TimelineStreamParams;
  /** Processing time a silent participant's state is kept, ms (default 26 h: beyond the timeline's day of retention). */
  readonly retentionMs?: number;
  /** Decisions for segments older than the state keeps: applied from the warehouse by the caller. */
  readonly onLateDecisions?: (decisions: readonly ReviewDecisionRecord[]) => Promise<readonly OutputRecord[]>;
}

/** Default processing time a silent participant's timeline state is kept, ms. */
export const TIMELINE_STATE_RETENTION_MS = 26 * 3_600_000;

/** The reason a record of a postprocessing input is invalid, or null. */
export function validatePostprocessingInput(topic: string, value: Readonly<Record<string, unknown>>): string | null {
  const result = parsePostprocessingInput(topic, value);
  return result.ok ? null : result.reason;
}

const startOf = (input: PostprocessingInput): number => (input.kind === 'episode' ? input.record.episode_start : input.record.segment_start);

export function createPostprocessingHandler(options: PostprocessingHandlerOptions): KeyedStage<ParticipantTimeline> {
  const params = options.params ?? defaultTimelineStreamParams;
  let lateDecisions: ReviewDecisionRecord[] = [];

  const update = (participant: string, entry: ParticipantTimeline, input: TimelineInput): OutputRecord[] => {
    const result = updateTimelineState(entry.state, input, params);
    for (const decision of result.lateDecisions) lateDecisions.push(decision);
    releaseOffsetsBefore(entry.held, timelineEarliestNeededMs(entry.state));
    return [
      ...result.timeline.map((value) => ({ topic: TOPICS.activityTimeline, key: participant, value })),
      ...result.exposure.map((value) => ({ topic: TOPICS.exposureDaily, key: participant, value })),
    ];
  };

  return keyedStage<ParticipantTimeline, PostprocessingInput>({
    service: 'postprocessing',
    parse: (topic, value) => parsePostprocessingInput(topic, value),
    idleTimeoutMs: options.idleTimeoutMs,
    retentionMs: options.retentionMs ?? TIMELINE_STATE_RETENTION_MS,
    createState: (participant) => ({ state: createTimelineState(participant), held: new Map() }),
    oldestHeldOffset: (entry) => oldestHeldOffsets(entry.held),
    onRecords(participant, entry, records) {
      const segments = [];
      const episodes = [];
      const decisions = [];
      for (const { topic, partition, offset, value } of records) {
        holdOffset(entry.held, partitionKey(topic, partition), startOf(value), offset);
        if (value.kind === 'segment') segments.push(value.record);
        else if (value.kind === 'episode') episodes.push(value.record);
        else decisions.push(value.record);
      }
      return update(participant, entry, { segments, episodes, decisions });
    },
    onIdle: (participant, entry) => update(participant, entry, { flush: true }),
    // Synchronous unless decisions must be applied from the warehouse.
    afterBatch(outputs) {
      const late = lateDecisions;
      lateDecisions = [];
      if (late.length === 0 || !options.onLateDecisions) return outputs;
      return options.onLateDecisions(late).then((fromWarehouse) => [...outputs, ...fromWarehouse]);
    },
  });
}
