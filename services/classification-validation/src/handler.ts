/**
 * sensor.clean → activity.segments: per participant, cleaned minutes gather in 5-minute segments
 * aligned on event time; a segment is classified and validated once the participant's watermark
 * passes its end. A late minute for a segment already emitted re-classifies it (an upsert).
 */
import { labelGroup, eventTimeMs, SENSOR_VARIABLES, ParticipantStates, TOPICS, type InputRecord, type OutputRecord, type StreamHandler } from '@polluscope/common';
import {
  classifySegment,
  defaultClassifySegmentParams,
  isSegmentReady,
  segmentStartMs,
  type ActivityModel,
  type ActivitySegment,
  type ClassifySegmentParams,
  type MeasuredMinute,
} from './domain/index.js';

const VARIABLES = SENSOR_VARIABLES;

interface HeldMinute extends MeasuredMinute {
  readonly offset: number;
}

interface OpenSegment {
  readonly minutes: Map<number, HeldMinute>;
  emitted: boolean;
  /** A minute came after the segment was emitted (late, or after an idle flush): it must be emitted again. */
  changed: boolean;
}

/** Whether a segment has something not yet emitted: never emitted, or changed since. */
const pending = (segment: OpenSegment) => !segment.emitted || segment.changed;

interface ParticipantSegments {
  segments: Map<number, OpenSegment>;
  maxEventMs: number;
}

export interface ClassificationHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  /** How long an emitted segment is kept so that a late minute can re-classify it, ms. */
  readonly lateRetentionMs: number;
  /** Processing time a silent participant's segments are kept, ms (default 2 h). */
  readonly retentionMs?: number;
  readonly params?: ClassifySegmentParams;
  /** The model in use (it may be reloaded). */
  readonly model: () => ActivityModel;
}

/** Default processing time a silent participant's segments are kept, ms. */
export const CLASSIFICATION_STATE_RETENTION_MS = 2 * 3_600_000;

export function validateSensorClean(value: Record<string, unknown>): string | null {
  if (typeof value.participant_virtual_id !== 'string' || value.participant_virtual_id === '') return 'participant_virtual_id: empty participant id';
  if (eventTimeMs(value.time) === null) return 'time: missing or unparseable';
  for (const variable of VARIABLES) {
    const v = value[variable];
    if (v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) return `${variable}: not a finite number`;
  }
  return null;
}

function mean(minutes: readonly MeasuredMinute[], variable: (typeof VARIABLES)[number]): number | null {
  let sum = 0;
  let count = 0;
  for (const m of minutes) {
    const v = m[variable];
    if (v !== null) {
      sum += v;
      count += 1;
    }
  }
  return count === 0 ? null : sum / count;
}

export function toSegmentRecord(participant: string, segment: ActivitySegment, minutes: readonly MeasuredMinute[], modelVersion: string): Record<string, unknown> {
  const value: Record<string, unknown> = {
    participant_virtual_id: participant,
    segment_start: segment.segmentStartMs,
    segment_end: segment.segmentEndMs,
    minutes: segment.minutes,
    predicted_label: segment.label,
    predicted_group: segment.label === null ? null : labelGroup(segment.label),
    confidence: segment.label === null ? null : segment.confidence,
    probabilities: JSON.stringify(segment.probabilities),
    views: segment.viewsPresent.join(','),
    rule_applied: segment.rule,
    declared_label: segment.declaredLabel,
    declared_group: segment.declaredLabel === null ? null : labelGroup(segment.declaredLabel),
    match: segment.match,
    needs_review: segment.needsReview,
    model_version: modelVersion,
  };
  for (const variable of VARIABLES) value[`${variable}_mean`] = mean(minutes, variable);
  return value;
}

export function createClassificationHandler(options: ClassificationHandlerOptions): StreamHandler {
  const params = options.params ?? defaultClassifySegmentParams;
  const states = new ParticipantStates<ParticipantSegments>(
    () => ({ segments: new Map(), maxEventMs: Number.NEGATIVE_INFINITY }),
    // Every retained segment, emitted or not, is held: a minute re-sent upstream after a restart
    // must find its segment whole, or the segment would be emitted again with that minute alone.
    (state) => {
      let oldest: number | null = null;
      for (const segment of state.segments.values()) {
        for (const m of segment.minutes.values()) if (oldest === null || m.offset < oldest) oldest = m.offset;
      }
      return oldest;
    },
    options.retentionMs ?? CLASSIFICATION_STATE_RETENTION_MS,
  );

  const classify = (participant: string, start: number, segment: OpenSegment): OutputRecord => {
    const minutes = [...segment.minutes.values()].sort((a, b) => a.timeMs - b.timeMs);
    const model = options.model();
    const result = classifySegment(start, minutes, model, params);
    segment.emitted = true;
    segment.changed = false;
    return { topic: TOPICS.activitySegments, key: participant, value: toSegmentRecord(participant, result, minutes, `v${model.version}-seed${model.seed}`) };
  };

  const closeReady = (participant: string, state: ParticipantSegments, watermarkMs: number): OutputRecord[] => {
    const outputs: OutputRecord[] = [];
    const starts = [...state.segments.keys()].sort((a, b) => a - b);
    for (const start of starts) {
      const segment = state.segments.get(start);
      if (!segment) continue;
      if (!isSegmentReady(start, watermarkMs, params.segment)) continue;
      if (pending(segment)) outputs.push(classify(participant, start, segment));
      if (start + params.segment.segmentMs < watermarkMs - options.lateRetentionMs) state.segments.delete(start);
    }
    return outputs;
  };

  return {
    inputs: [TOPICS.sensorClean],
    outputs: [TOPICS.activitySegments],
    validate: (_topic, value) => validateSensorClean(value as Record<string, unknown>),
    process(records: readonly InputRecord[], nowMs: number) {
      const touched = new Set<string>();
      for (const record of records) {
        const raw = record.value as Record<string, unknown>;
        const participant = raw.participant_virtual_id as string;
        const timeMs = eventTimeMs(raw.time) as number;
        const entry = states.touch(participant, record.topic, record.partition, nowMs);
        entry.state.maxEventMs = Math.max(entry.state.maxEventMs, timeMs);
        const start = segmentStartMs(timeMs, params.segment);
        let segment = entry.state.segments.get(start);
        if (!segment) {
          segment = { minutes: new Map(), emitted: false, changed: false };
          entry.state.segments.set(start, segment);
        }
        const minute: HeldMinute = {
          timeMs,
          pm1: (raw.pm1 as number | null) ?? null,
          pm25: (raw.pm25 as number | null) ?? null,
          pm10: (raw.pm10 as number | null) ?? null,
          no2: (raw.no2 as number | null) ?? null,
          bc: (raw.bc as number | null) ?? null,
          temperature: (raw.temperature as number | null) ?? null,
          humidity: (raw.humidity as number | null) ?? null,
          activity: (raw.activity as string | null) ?? null,
          offset: record.offset,
        };
        segment.minutes.set(timeMs, minute);
        if (segment.emitted) segment.changed = true;
        touched.add(participant);
      }
      const outputs: OutputRecord[] = [];
      for (const participant of touched) {
        const entry = states.get(participant);
        if (entry) outputs.push(...closeReady(participant, entry.state, entry.state.maxEventMs - options.allowedLatenessMs));
      }
      return outputs;
    },
    flushIdle(nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const entry of states.idle(nowMs, options.idleTimeoutMs)) {
        for (const [start, segment] of entry.state.segments) {
          if (pending(segment)) outputs.push(classify(entry.participant, start, segment));
        }
      }
      return outputs;
    },
    heldOffsets: () => states.heldOffsets(),
    openParticipants: () => states.openCount(),
    reset: () => states.reset(),
  };
}
