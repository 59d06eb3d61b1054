/**
 * sensor.clean → activity.segments: per participant, cleaned minutes gather in 5-minute segments
 * aligned on event time; a segment is classified and validated once the participant's watermark
 * passes its end. A late minute for a segment already emitted re-classifies it (an upsert).
 */
import {
  fields,
  keyedStage,
  labelGroup,
  meanOfPresent,
  parseFields,
  SENSOR_VARIABLES,
  TOPICS,
  type KeyedStage,
  type OutputRecord,
  type ParticipantValue,
  type Parsed,
} from '@polluscope/common';
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
  /** Processing time a silent participant's segments are kept, ms (default: the runtime's 2 h). */
  readonly retentionMs?: number;
  readonly params?: ClassifySegmentParams;
  /** The model in use (it may be reloaded). */
  readonly model: () => ActivityModel;
}


/** A sensor.clean record as this stage reads it: the measured minute and whose it is. */
interface SensorCleanValue extends ParticipantValue {
  readonly minute: MeasuredMinute;
}

/** Parses a sensor.clean record, or says which field is wrong. */
export function parseSensorClean(value: Readonly<Record<string, unknown>>): Parsed<SensorCleanValue> {
  return parseFields(() => ({
    participant_virtual_id: fields.id(value, 'participant_virtual_id'),
    minute: {
      timeMs: fields.timeMs(value, 'time'),
      pm1: fields.optionalNumber(value, 'pm1'),
      pm25: fields.optionalNumber(value, 'pm25'),
      pm10: fields.optionalNumber(value, 'pm10'),
      no2: fields.optionalNumber(value, 'no2'),
      bc: fields.optionalNumber(value, 'bc'),
      temperature: fields.optionalNumber(value, 'temperature'),
      humidity: fields.optionalNumber(value, 'humidity'),
      activity: fields.optionalText(value, 'activity'),
    },
  }));
}

/** The reason a sensor.clean record is invalid, or null. */
export function validateSensorClean(value: Readonly<Record<string, unknown>>): string | null {
  const result = parseSensorClean(value);
  return result.ok ? null : result.reason;
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
    review_reason: segment.reviewReason,
    model_version: modelVersion,
  };
  for (const variable of VARIABLES) value[`${variable}_mean`] = meanOfPresent(minutes.map((m) => m[variable]));
  return value;
}

export function createClassificationHandler(options: ClassificationHandlerOptions): KeyedStage<ParticipantSegments> {
  const params = options.params ?? defaultClassifySegmentParams;

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

  return keyedStage<ParticipantSegments, SensorCleanValue>({
    service: 'classification-validation',
    parse: (_topic, value) => parseSensorClean(value),
    idleTimeoutMs: options.idleTimeoutMs,
    retentionMs: options.retentionMs,
    createState: () => ({ segments: new Map(), maxEventMs: Number.NEGATIVE_INFINITY }),
    // Every retained segment, emitted or not, is held: a minute re-sent upstream after a restart
    // must find its segment whole, or the segment would be emitted again with that minute alone.
    oldestHeldOffset: (state) => {
      let oldest: number | null = null;
      for (const segment of state.segments.values()) {
        for (const m of segment.minutes.values()) if (oldest === null || m.offset < oldest) oldest = m.offset;
      }
      return oldest;
    },
    onRecords(participant, state, records) {
      for (const { value, offset } of records) {
        const { minute } = value;
        state.maxEventMs = Math.max(state.maxEventMs, minute.timeMs);
        const start = segmentStartMs(minute.timeMs, params.segment);
        let segment = state.segments.get(start);
        if (!segment) {
          segment = { minutes: new Map(), emitted: false, changed: false };
          state.segments.set(start, segment);
        }
        segment.minutes.set(minute.timeMs, { ...minute, offset });
        if (segment.emitted) segment.changed = true;
      }
      return closeReady(participant, state, state.maxEventMs - options.allowedLatenessMs);
    },
    onIdle(participant, state) {
      const outputs: OutputRecord[] = [];
      for (const [start, segment] of state.segments) if (pending(segment)) outputs.push(classify(participant, start, segment));
      return outputs;
    },
  });
}
