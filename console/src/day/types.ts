/**
 * The shapes the console's JSON API returns and its charts draw. Times are epoch milliseconds
 * (UTC); a local day is a calendar day in the study's time zone (Europe/Paris by default).
 */

/** The pollutants the day view plots, in the order of the panels. */
export const POLLUTANTS = ['pm1', 'pm25', 'pm10', 'no2', 'bc'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Every cleaned sensor variable (sensor_clean's value columns). */
export const SENSOR_VARIABLES = [...POLLUTANTS, 'temperature', 'humidity'] as const;
export type SensorVariable = (typeof SENSOR_VARIABLES)[number];

/** Display names and units (docs/warehouse.md). */
export const VARIABLE_LABELS: Readonly<Record<SensorVariable, { readonly name: string; readonly unit: string }>> = Object.freeze({
  pm1: { name: 'PM1', unit: 'µg/m³' },
  pm25: { name: 'PM2.5', unit: 'µg/m³' },
  pm10: { name: 'PM10', unit: 'µg/m³' },
  no2: { name: 'NO2', unit: 'ppb' },
  bc: { name: 'BC', unit: 'ng/m³' },
  temperature: { name: 'Temperature', unit: '°C' },
  humidity: { name: 'Humidity', unit: '%' },
});

/** One participant-day on the overview page. */
export interface DaySummary {
  readonly day: string;
  /** Cleaned sensor minutes that day. */
  readonly measuredMinutes: number;
  /** 1440, or 1380 / 1500 on daylight-saving days. */
  readonly dayLengthMinutes: number;
  /** measuredMinutes / dayLengthMinutes, 0..1. */
  readonly coverage: number;
  /** Minutes with at least one imputed variable. */
  readonly imputedMinutes: number;
  /** Minutes with at least one quality flag. */
  readonly flaggedMinutes: number;
  /** Timeline segments (5 minutes each). */
  readonly segments: number;
  /** Segments the classifier flagged for human review. */
  readonly needsReviewSegments: number;
  /** Cleaned GPS fixes. */
  readonly gpsFixes: number;
}

export interface ParticipantSummary {
  readonly participant: string;
  readonly days: readonly DaySummary[];
}

/** A cleaned sensor minute. */
export interface SensorMinute {
  readonly timeMs: number;
  readonly values: Readonly<Record<SensorVariable, number | null>>;
  /** Variables filled by imputation. */
  readonly imputed: readonly SensorVariable[];
  /** Quality flags as `variable:flag` (docs/cleaning.md). */
  readonly flags: readonly QualityFlag[];
}

export interface QualityFlag {
  readonly variable: string;
  readonly flag: string;
}

/** A 5-minute segment of the fused timeline with the labels the bands show. */
export interface TimelineSegment {
  readonly startMs: number;
  readonly endMs: number;
  readonly minutes: number | null;
  readonly declaredLabel: string | null;
  readonly predictedLabel: string | null;
  readonly finalLabel: string | null;
  readonly source: string;
  readonly confidence: number | null;
  readonly needsReview: boolean;
}

/** A cleaned GPS fix with the episode (stop or move leg) that holds it. */
export interface GpsFix {
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
  /** False when the fix lies outside the study area's grid (col/row null). */
  readonly inGrid: boolean;
  readonly episodeStartMs: number | null;
  readonly episodeType: 'stop' | 'move' | null;
  readonly transportMode: string | null;
  /** Final label of the timeline segment the fix falls in, if any. */
  readonly finalLabel: string | null;
}

export interface Stop {
  readonly startMs: number;
  readonly endMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly durationS: number;
  readonly radiusM: number | null;
}

/** A micro-environment's line of exposure_daily. */
export interface ExposureRow {
  readonly microEnvironment: string;
  readonly minutes: number;
  readonly means: Readonly<Record<Pollutant, number | null>>;
  /** Share of the day's time-integrated concentration, 0..1. */
  readonly shares: Readonly<Record<Pollutant, number | null>>;
}

export interface ExposureDay {
  /** Micro-environments with measured minutes, most minutes first. */
  readonly rows: readonly ExposureRow[];
  readonly measuredMinutes: number | null;
  readonly labelledMinutes: number | null;
  readonly dayLengthMinutes: number | null;
}

/** Per variable: how many of the day's minutes hold a value, were imputed, were flagged. */
export interface VariableQuality {
  readonly variable: SensorVariable;
  readonly withValue: number;
  readonly imputed: number;
  /** Flag name → minutes. */
  readonly flagged: Readonly<Record<string, number>>;
}

export interface GpsQuality {
  readonly keptFixes: number;
  readonly outsideGrid: number;
  /** Fixes the cleaner dropped, by reason (duplicate, same-time, too-fast; gps_dropped); null when not read. */
  readonly droppedByReason: Readonly<Record<string, number>> | null;
  /** Fixes the cleaner received: kept + dropped; null when the dropped ones were not read. */
  readonly rawFixes: number | null;
}

export interface DataQuality {
  readonly minutes: number;
  readonly variables: readonly VariableQuality[];
  readonly gps: GpsQuality;
}

/** A regular lon/lat grid (the study area's, from gps-preprocessing). */
export interface StudyGrid {
  readonly lonMin: number;
  readonly lonMax: number;
  readonly latMin: number;
  readonly latMax: number;
  readonly cells: number;
}

/** Everything the participant-day view draws. */
export interface ParticipantDay {
  readonly participant: string;
  readonly day: string;
  readonly timeZone: string;
  readonly dayStartMs: number;
  readonly dayEndMs: number;
  readonly minutes: readonly SensorMinute[];
  readonly segments: readonly TimelineSegment[];
  readonly fixes: readonly GpsFix[];
  readonly stops: readonly Stop[];
  readonly exposure: ExposureDay;
  readonly quality: DataQuality;
  readonly grid: StudyGrid;
  /** The participant's days with data (YYYY-MM-DD, in order). */
  readonly participantDays: readonly string[];
}
