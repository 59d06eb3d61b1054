/**
 * activity.segments + gps.episodes + review.decisions → activity.timeline + exposure.daily
 * (DESIGN.md §5.5, §5.6). Per participant, a timeline state joins both sides up to their
 * watermarks and re-emits a segment (an upsert) when a late episode, a growing stop or a review
 * changes it; exposure rows of every day with a changed segment are re-emitted with it.
 */
import { eventTimeMs, TOPICS, partitionKey, type InputRecord, type OutputRecord, type StreamHandler } from '@polluscope/common';
import {
  createTimelineState,
  defaultTimelineStreamParams,
  timelineEarliestNeededMs,
  updateTimelineState,
  validateReviewLabel,
  type ActivitySegmentRecord,
  type GpsEpisodeRecord,
  type ReviewDecisionRecord,
  type TimelineState,
  type TimelineStreamParams,
} from './domain/index.js';

interface HeldRecord {
  readonly source: string;
  readonly timeMs: number;
  readonly offset: number;
}

interface ParticipantTimeline {
  state: TimelineState;
  /** Input records from the earliest time the state still needs, for the commit rule. */
  held: HeldRecord[];
  lastSeenMs: number;
  /** Flushed since its last record: the idle flush runs once per idle period. */
  idleFlushed: boolean;
}

export interface PostprocessingHandlerOptions {
  readonly idleTimeoutMs: number;
  readonly params?: TimelineStreamParams;
  /** Decisions for segments older than the state keeps: applied from the warehouse by the caller. */
  readonly onLateDecisions?: (decisions: readonly ReviewDecisionRecord[]) => Promise<readonly OutputRecord[]>;
}

const START_FIELD: Readonly<Record<string, string>> = Object.freeze({
  [TOPICS.activitySegments.name]: 'segment_start',
  [TOPICS.gpsEpisodes.name]: 'episode_start',
  [TOPICS.reviewDecisions.name]: 'segment_start',
});

export function validatePostprocessingInput(topic: string, value: Record<string, unknown>): string | null {
  if (typeof value.participant_virtual_id !== 'string' || value.participant_virtual_id === '') return 'participant_virtual_id: empty participant id';
  const field = START_FIELD[topic] ?? 'segment_start';
  if (eventTimeMs(value[field]) === null) return `${field}: missing or unparseable`;
  if (topic === TOPICS.reviewDecisions.name) {
    const label = validateReviewLabel(value.label);
    if (!label.ok) return `label: ${label.reason}`;
  }
  return null;
}

export function createPostprocessingHandler(options: PostprocessingHandlerOptions): StreamHandler {
  const params = options.params ?? defaultTimelineStreamParams;
  const participants = new Map<string, ParticipantTimeline>();

  const toOutputs = (update: ReturnType<typeof updateTimelineState>, participant: string): OutputRecord[] => [
    ...update.timeline.map((value) => ({ topic: TOPICS.activityTimeline, key: participant, value })),
    ...update.exposure.map((value) => ({ topic: TOPICS.exposureDaily, key: participant, value })),
  ];

  const trim = (entry: ParticipantTimeline) => {
    const needed = timelineEarliestNeededMs(entry.state);
    entry.held = needed === null ? [] : entry.held.filter((r) => r.timeMs >= needed);
  };

  return {
    inputs: [TOPICS.activitySegments, TOPICS.gpsEpisodes, TOPICS.reviewDecisions],
    outputs: [TOPICS.activityTimeline, TOPICS.exposureDaily, TOPICS.reviewDecisions],
    validate: (topic, value) => validatePostprocessingInput(topic, value as Record<string, unknown>),
    process(records: readonly InputRecord[], nowMs: number) {
      const inputs = new Map<string, { segments: ActivitySegmentRecord[]; episodes: GpsEpisodeRecord[]; decisions: ReviewDecisionRecord[] }>();
      for (const record of records) {
        const value = record.value as Record<string, unknown>;
        const participant = value.participant_virtual_id as string;
        let entry = participants.get(participant);
        if (!entry) {
          entry = { state: createTimelineState(participant), held: [], lastSeenMs: nowMs, idleFlushed: false };
          participants.set(participant, entry);
        }
        entry.lastSeenMs = nowMs;
        entry.idleFlushed = false;
        const timeMs = eventTimeMs(value[START_FIELD[record.topic] ?? 'segment_start']) as number;
        entry.held.push({ source: partitionKey(record.topic, record.partition), timeMs, offset: record.offset });
        const batch = inputs.get(participant) ?? { segments: [], episodes: [], decisions: [] };
        if (record.topic === TOPICS.activitySegments.name) batch.segments.push(value as unknown as ActivitySegmentRecord);
        else if (record.topic === TOPICS.gpsEpisodes.name) batch.episodes.push(value as unknown as GpsEpisodeRecord);
        else batch.decisions.push(value as unknown as ReviewDecisionRecord);
        inputs.set(participant, batch);
      }
      const outputs: OutputRecord[] = [];
      const late: ReviewDecisionRecord[] = [];
      for (const [participant, batch] of inputs) {
        const entry = participants.get(participant);
        if (!entry) continue;
        const update = updateTimelineState(entry.state, batch, params);
        outputs.push(...toOutputs(update, participant));
        late.push(...update.lateDecisions);
        trim(entry);
      }
      // Synchronous unless decisions must be applied from the warehouse.
      if (late.length === 0 || !options.onLateDecisions) return outputs;
      return options.onLateDecisions(late).then((fromWarehouse) => [...outputs, ...fromWarehouse]);
    },
    flushIdle(nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const [participant, entry] of participants) {
        if (entry.idleFlushed || nowMs - entry.lastSeenMs < options.idleTimeoutMs) continue;
        entry.idleFlushed = true;
        const update = updateTimelineState(entry.state, { flush: true }, params);
        outputs.push(...toOutputs(update, participant));
        trim(entry);
      }
      return outputs;
    },
    heldOffsets() {
      const held = new Map<string, number>();
      for (const entry of participants.values()) {
        for (const record of entry.held) {
          const current = held.get(record.source);
          if (current === undefined || record.offset < current) held.set(record.source, record.offset);
        }
      }
      return held;
    },
    openParticipants: () => [...participants.values()].filter((entry) => !entry.idleFlushed).length,
    reset: () => participants.clear(),
  };
}
