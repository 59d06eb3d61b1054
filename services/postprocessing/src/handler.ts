/**
 * activity.segments + gps.episodes + review.decisions → activity.timeline + exposure.daily.
 */
import { eventTimeMs, labelGroup, normaliseLabel, ParticipantStates, TOPICS, type InputRecord, type OutputRecord, type StreamHandler } from '@polluscope/common';

export interface PostprocessingHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
}

interface ParticipantTimeline {
  maxEventMs: number;
}

const VARIABLES = ['pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity'] as const;

export function validatePostprocessingInput(topic: string, value: Record<string, unknown>): string | null {
  if (typeof value.participant_virtual_id !== 'string' || value.participant_virtual_id === '') return 'participant_virtual_id: empty participant id';
  const time = topic === TOPICS.gpsEpisodes.name ? value.episode_start : value.segment_start;
  if (eventTimeMs(time) === null) return 'start time: missing or unparseable';
  if (topic === TOPICS.reviewDecisions.name && normaliseLabel(value.label as string) === null) return `label: not a canonical label: "${String(value.label)}"`;
  return null;
}

export function createPostprocessingHandler(options: PostprocessingHandlerOptions): StreamHandler {
  const states = new ParticipantStates<ParticipantTimeline>(() => ({ maxEventMs: Number.NEGATIVE_INFINITY }), () => null);
  return {
    inputs: [TOPICS.activitySegments, TOPICS.gpsEpisodes, TOPICS.reviewDecisions],
    outputs: [TOPICS.activityTimeline, TOPICS.exposureDaily, TOPICS.reviewDecisions],
    validate: (topic, value) => validatePostprocessingInput(topic, value as Record<string, unknown>),
    process(records: readonly InputRecord[], nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const record of records) {
        if (record.topic !== TOPICS.activitySegments.name) continue;
        const s = record.value as Record<string, unknown>;
        const participant = s.participant_virtual_id as string;
        states.touch(participant, record.topic, record.partition, nowMs);
        const label = normaliseLabel(s.predicted_label as string | null);
        const value: Record<string, unknown> = {
          participant_virtual_id: participant,
          segment_start: eventTimeMs(s.segment_start),
          segment_end: eventTimeMs(s.segment_end),
          final_label: label,
          label_group: label === null ? null : labelGroup(label),
          source: 'sensors',
          confidence: s.confidence ?? null,
          declared_label: s.declared_label ?? null,
          match: s.match ?? null,
          episode_ids: null,
        };
        for (const v of VARIABLES) value[`${v}_mean`] = s[`${v}_mean`] ?? null;
        outputs.push({ topic: TOPICS.activityTimeline, key: participant, value });
      }
      return outputs;
    },
    flushIdle: () => [],
    heldOffsets: () => states.heldOffsets(),
    reset: () => states.reset(),
  };
}
