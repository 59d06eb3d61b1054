/**
 * The topic records postprocessing reads and writes, field for field as in `schemas/*.avsc`
 * (snake_case, times as epoch ms, optional values as `null`), so that decoded Avro values can be
 * passed in and results encoded as they are. Inputs list only the fields the algorithms read.
 */

import { SENSOR_VARIABLES } from '@polluscope/common/domain';

/** The variables whose segment means the timeline carries (pollutants, temperature, humidity). */
export const POLLUTANTS = SENSOR_VARIABLES;
export type Pollutant = (typeof POLLUTANTS)[number];

/**
 * The pollutants exposure integrates over time and shares out among micro-environments; the
 * other measured variables (temperature, humidity) get time-weighted means only: a "share" of a
 * day's temperature means nothing.
 */
export const INTEGRATED_POLLUTANTS = ['pm1', 'pm25', 'pm10', 'no2', 'bc'] as const satisfies readonly Pollutant[];
export type IntegratedPollutant = (typeof INTEGRATED_POLLUTANTS)[number];

/** The micro-environment of measured minutes whose segment has no final label. */
export const UNKNOWN_MICRO_ENVIRONMENT = 'unknown';

/** Segment means: µg/m³ for PM, ppb for NO2, ng/m³ for BC, °C, % relative humidity. */
export type PollutantMeans = { readonly [P in Pollutant as `${P}_mean`]: number | null };

/** `activity.segments` (docs/design.md §5.2): a 5-minute segment classified from the sensors. */
export interface ActivitySegmentRecord extends PollutantMeans {
  readonly participant_virtual_id: string;
  /** Epoch ms, inclusive. */
  readonly segment_start: number;
  /** Epoch ms, exclusive. */
  readonly segment_end: number;
  /** Cleaned sensor minutes in the segment (0..5): the minutes actually measured. */
  readonly minutes: number;
  readonly predicted_label: string | null;
  /** 0..1. */
  readonly confidence: number | null;
  readonly declared_label: string | null;
}

/** A cleaned sensor minute (`sensor.clean`, docs/design.md §5.1) as exposure reads it: when, and the values. */
export type SensorMinuteRecord = { readonly participant_virtual_id: string; /** Epoch ms. */ readonly time: number } & {
  readonly [P in Pollutant]: number | null;
};

/** `gps.episodes` (docs/design.md §5.4): a stop or a move; re-emitted with the same start while it grows. */
export interface GpsEpisodeRecord {
  readonly participant_virtual_id: string;
  /** Epoch ms of the first point. */
  readonly episode_start: number;
  /** Epoch ms of the last point. */
  readonly episode_end: number;
  /** `stop` or `move`. */
  readonly episode_type: string;
  readonly transport_mode: string | null;
  /** 0..1. */
  readonly transport_probability: number | null;
}

/** `review.decisions` (docs/design.md §5.6): a reviewer's label for one segment. */
export interface ReviewDecisionRecord {
  readonly participant_virtual_id: string;
  /** Epoch ms, the reviewed segment's start. */
  readonly segment_start: number;
  readonly label: string;
  readonly reviewer: string | null;
  readonly comment: string | null;
  /** Epoch ms. */
  readonly decided_at: number;
}

/** Why a timeline entry carries its label. */
export type TimelineSource = 'gps' | 'stop' | 'sensors' | 'review';

/** `activity.timeline` (docs/design.md §5.5): one fused 5-minute segment. */
export interface ActivityTimelineRecord extends PollutantMeans {
  readonly participant_virtual_id: string;
  readonly segment_start: number;
  readonly segment_end: number;
  /** Sensor minutes measured in the segment (the segment's `minutes`); exposure weights by them. */
  readonly minutes: number;
  readonly final_label: string | null;
  readonly label_group: string | null;
  readonly source: TimelineSource;
  readonly confidence: number | null;
  readonly declared_label: string | null;
  /** Declared equals final; null when nothing was declared. */
  readonly match: boolean | null;
  /** ISO-8601 starts of the episodes the segment intersects, comma-separated; null when none. */
  readonly episode_ids: string | null;
  /** Flagged for human review within the participant-day's budget (docs/design.md §5.2). */
  readonly needs_review: boolean;
  /** A ReviewReason when flagged, else null. */
  readonly review_reason: string | null;
  /** Probability that the fused label before any review decision is wrong, 0..1; null without one. */
  readonly review_wrong_probability: number | null;
}

type PollutantExposure = {
  readonly [P in IntegratedPollutant as `${P}_mean` | `${P}_time_integrated_concentration` | `${P}_share`]: number | null;
} & { readonly temperature_mean: number | null; readonly humidity_mean: number | null };

/**
 * `exposure.daily` (docs/design.md §5.5): a participant's day in one micro-environment (a canonical
 * label, or `unknown` for measured minutes without a final label), with the day's coverage.
 */
export interface ExposureDailyRecord extends PollutantExposure {
  readonly participant_virtual_id: string;
  /** Local day as days since 1970-01-01 (Avro `date`). */
  readonly day: number;
  /** Canonical label or `unknown`. */
  readonly micro_environment: string;
  /** Measured minutes spent there that day. */
  readonly minutes: number;
  /** Measured minutes of the whole day, every micro-environment and `unknown` included. */
  readonly day_measured_minutes: number;
  /** Measured minutes of the day with a final label (day_measured_minutes − the `unknown` minutes). */
  readonly day_labelled_minutes: number;
  /** Length of the local day, minutes: 1440, or 1380 / 1500 on daylight-saving change days. */
  readonly day_length_minutes: number;
}
