/**
 * The three inputs of postprocessing, parsed into the typed records of `domain/records.ts`
 * (field for field as in `schemas/*.avsc`), each tagged with its kind.
 */
import { fields, parseFields, TOPICS, type Parsed } from '@polluscope/common';
import { validateReviewLabel, type ActivitySegmentRecord, type GpsEpisodeRecord, type PollutantMeans, type ReviewDecisionRecord } from './domain/index.js';

export type PostprocessingInput =
  | { readonly participant_virtual_id: string; readonly kind: 'segment'; readonly record: ActivitySegmentRecord }
  | { readonly participant_virtual_id: string; readonly kind: 'episode'; readonly record: GpsEpisodeRecord }
  | { readonly participant_virtual_id: string; readonly kind: 'decision'; readonly record: ReviewDecisionRecord };

type Fields = Readonly<Record<string, unknown>>;

/** A segment lies within a day: more measured minutes than that is nonsense. */
const MAX_SEGMENT_MINUTES = 1440;

function means(value: Fields): PollutantMeans {
  return {
    pm1_mean: fields.optionalNumber(value, 'pm1_mean'),
    pm25_mean: fields.optionalNumber(value, 'pm25_mean'),
    pm10_mean: fields.optionalNumber(value, 'pm10_mean'),
    no2_mean: fields.optionalNumber(value, 'no2_mean'),
    bc_mean: fields.optionalNumber(value, 'bc_mean'),
    temperature_mean: fields.optionalNumber(value, 'temperature_mean'),
    humidity_mean: fields.optionalNumber(value, 'humidity_mean'),
  };
}

export function parseSegment(value: Fields): Parsed<PostprocessingInput> {
  return parseFields(() => {
    const record: ActivitySegmentRecord = {
      participant_virtual_id: fields.id(value, 'participant_virtual_id'),
      segment_start: fields.timeMs(value, 'segment_start'),
      segment_end: fields.timeMs(value, 'segment_end'),
      minutes: fields.numberIn(value, 'minutes', 0, MAX_SEGMENT_MINUTES),
      predicted_label: fields.optionalText(value, 'predicted_label'),
      confidence: fields.optionalNumber(value, 'confidence'),
      declared_label: fields.optionalText(value, 'declared_label'),
      ...means(value),
    };
    return { participant_virtual_id: record.participant_virtual_id, kind: 'segment' as const, record };
  });
}

export function parseEpisode(value: Fields): Parsed<PostprocessingInput> {
  return parseFields(() => {
    const record: GpsEpisodeRecord = {
      participant_virtual_id: fields.id(value, 'participant_virtual_id'),
      episode_start: fields.timeMs(value, 'episode_start'),
      episode_end: fields.timeMs(value, 'episode_end'),
      episode_type: fields.text(value, 'episode_type'),
      transport_mode: fields.optionalText(value, 'transport_mode'),
      transport_probability: fields.optionalNumber(value, 'transport_probability'),
    };
    return { participant_virtual_id: record.participant_virtual_id, kind: 'episode' as const, record };
  });
}

export function parseDecision(value: Fields): Parsed<PostprocessingInput> {
  const label = validateReviewLabel(value.label);
  if (!label.ok) return { ok: false, reason: `label: ${label.reason}` };
  return parseFields(() => {
    const record: ReviewDecisionRecord = {
      participant_virtual_id: fields.id(value, 'participant_virtual_id'),
      segment_start: fields.timeMs(value, 'segment_start'),
      label: fields.text(value, 'label'),
      reviewer: fields.optionalText(value, 'reviewer'),
      comment: fields.optionalText(value, 'comment'),
      decided_at: fields.timeMs(value, 'decided_at'),
    };
    return { participant_virtual_id: record.participant_virtual_id, kind: 'decision' as const, record };
  });
}

const PARSERS: Readonly<Record<string, (value: Fields) => Parsed<PostprocessingInput>>> = Object.freeze({
  [TOPICS.activitySegments.name]: parseSegment,
  [TOPICS.gpsEpisodes.name]: parseEpisode,
  [TOPICS.reviewDecisions.name]: parseDecision,
});

/** Parses a record of one of postprocessing's input topics. */
export function parsePostprocessingInput(topic: string, value: Fields): Parsed<PostprocessingInput> {
  const parse = PARSERS[topic];
  return parse ? parse(value) : { ok: false, reason: `${topic}: not an input of postprocessing` };
}
