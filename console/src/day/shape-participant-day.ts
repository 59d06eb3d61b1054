/**
 * Warehouse rows of one participant-day → the day view's shapes. Pure: the rows come from
 * `WarehouseReader` (or a test), nothing here reads a database or a clock.
 */
import { parseQualityFlags } from './quality-flags.js';
import {
  POLLUTANTS,
  SENSOR_VARIABLES,
  type DataQuality,
  type ExposureDay,
  type GpsFix,
  type GpsQuality,
  type Pollutant,
  type SensorMinute,
  type SensorVariable,
  type Stop,
  type TimelineSegment,
  type VariableQuality,
} from './types.js';

type Nullable<T> = T | null;

/** sensor_clean's columns as pg returns them. */
export type SensorMinuteRow = { readonly time: Date; readonly quality_flags: Nullable<string> } & {
  readonly [V in SensorVariable]: Nullable<number>;
} & { readonly [V in SensorVariable as `imputed_${V}`]: boolean };

/** participant_day_timeline's columns. */
export interface TimelineRow {
  readonly segment_start: Date;
  readonly segment_end: Date;
  readonly minutes: Nullable<number>;
  readonly final_label: Nullable<string>;
  readonly source: string;
  readonly confidence: Nullable<number>;
  readonly predicted_label: Nullable<string>;
  readonly declared_label: Nullable<string>;
  readonly needs_review: Nullable<boolean>;
}

/** gps_points_with_episode's columns. */
export interface FixRow {
  readonly time: Date;
  readonly lat: number;
  readonly lon: number;
  readonly col: Nullable<number>;
  readonly episode_start: Nullable<Date>;
  readonly episode_type: Nullable<string>;
  readonly transport_mode: Nullable<string>;
}

/** gps_episodes' columns for a stop. */
/** The day's GPS fixes the cleaner dropped for one reason (gps_dropped, counted by reason). */
export interface DroppedFixesRow {
  readonly reason: string;
  readonly fixes: number;
}

export interface StopRow {
  readonly episode_start: Date;
  readonly episode_end: Date;
  readonly centroid_lat: Nullable<number>;
  readonly centroid_lon: Nullable<number>;
  readonly duration_s: number;
  readonly radius_m: Nullable<number>;
}

/** exposure_daily's columns. */
export type ExposureRowInput = {
  readonly micro_environment: string;
  readonly minutes: number;
  readonly day_measured_minutes: Nullable<number>;
  readonly day_labelled_minutes: Nullable<number>;
  readonly day_length_minutes: Nullable<number>;
} & { readonly [P in Pollutant as `${P}_mean`]: Nullable<number> } & { readonly [P in Pollutant as `${P}_share`]: Nullable<number> };

export function shapeSensorMinutes(rows: readonly SensorMinuteRow[]): SensorMinute[] {
  return rows.map((row) => ({
    timeMs: row.time.getTime(),
    values: Object.fromEntries(SENSOR_VARIABLES.map((v) => [v, row[v]])) as Record<SensorVariable, number | null>,
    imputed: SENSOR_VARIABLES.filter((v) => row[`imputed_${v}`]),
    flags: parseQualityFlags(row.quality_flags),
  }));
}

export function shapeTimeline(rows: readonly TimelineRow[]): TimelineSegment[] {
  return rows
    .map((row) => ({
      startMs: row.segment_start.getTime(),
      endMs: row.segment_end.getTime(),
      minutes: row.minutes,
      declaredLabel: row.declared_label,
      predictedLabel: row.predicted_label,
      finalLabel: row.final_label,
      source: row.source,
      confidence: row.confidence,
      needsReview: row.needs_review === true,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** The final label of the segment holding `timeMs` (segments sorted by start), or null. */
export function finalLabelAt(segments: readonly TimelineSegment[], timeMs: number): string | null {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const segment = segments[mid]!;
    if (timeMs < segment.startMs) hi = mid - 1;
    else if (timeMs >= segment.endMs) lo = mid + 1;
    else return segment.finalLabel;
  }
  return null;
}

export function shapeFixes(rows: readonly FixRow[], segments: readonly TimelineSegment[]): GpsFix[] {
  return rows.map((row) => {
    const timeMs = row.time.getTime();
    const type = row.episode_type === 'stop' || row.episode_type === 'move' ? row.episode_type : null;
    return {
      timeMs,
      lat: row.lat,
      lon: row.lon,
      inGrid: row.col !== null,
      episodeStartMs: row.episode_start?.getTime() ?? null,
      episodeType: type,
      transportMode: row.transport_mode,
      finalLabel: finalLabelAt(segments, timeMs),
    };
  });
}

/** Stops with a centroid (a stop always has one; a row without is skipped rather than drawn at 0, 0). */
export function shapeStops(rows: readonly StopRow[]): Stop[] {
  return rows.flatMap((row) =>
    row.centroid_lat === null || row.centroid_lon === null
      ? []
      : [{ startMs: row.episode_start.getTime(), endMs: row.episode_end.getTime(), lat: row.centroid_lat, lon: row.centroid_lon, durationS: row.duration_s, radiusM: row.radius_m }],
  );
}

/**
 * The day's micro-environments with measured minutes (exposure_daily keeps 0-minute rows for the
 * places not visited), most minutes first, with the day's coverage.
 */
export function shapeExposure(rows: readonly ExposureRowInput[]): ExposureDay {
  const first = rows[0];
  return {
    rows: rows
      .filter((row) => row.minutes > 0)
      .map((row) => ({
        microEnvironment: row.micro_environment,
        minutes: row.minutes,
        means: Object.fromEntries(POLLUTANTS.map((p) => [p, row[`${p}_mean`]])) as Record<Pollutant, number | null>,
        shares: Object.fromEntries(POLLUTANTS.map((p) => [p, row[`${p}_share`]])) as Record<Pollutant, number | null>,
      }))
      .sort((a, b) => b.minutes - a.minutes || a.microEnvironment.localeCompare(b.microEnvironment)),
    measuredMinutes: first?.day_measured_minutes ?? null,
    labelledMinutes: first?.day_labelled_minutes ?? null,
    dayLengthMinutes: first?.day_length_minutes ?? null,
  };
}

/** Per variable: minutes with a value, imputed, and flagged by flag; plus the GPS side. */
export function summariseDataQuality(minutes: readonly SensorMinute[], gps: GpsQuality): DataQuality {
  const variables: VariableQuality[] = SENSOR_VARIABLES.map((variable) => {
    const flagged: Record<string, number> = {};
    let withValue = 0;
    let imputed = 0;
    for (const minute of minutes) {
      if (minute.values[variable] !== null) withValue += 1;
      if (minute.imputed.includes(variable)) imputed += 1;
      for (const { variable: flaggedVariable, flag } of minute.flags) {
        if (flaggedVariable === variable) flagged[flag] = (flagged[flag] ?? 0) + 1;
      }
    }
    return { variable, withValue, imputed, flagged };
  });
  return { minutes: minutes.length, variables, gps };
}

/**
 * The GPS half of the quality panel from the kept fixes and the dropped ones by reason; null
 * `dropped` when they were not read: then the fixes received and dropped are unknown (null).
 */
export function summariseGpsQuality(fixes: readonly GpsFix[], dropped: readonly DroppedFixesRow[] | null): GpsQuality {
  const droppedByReason: Record<string, number> = {};
  for (const row of dropped ?? []) droppedByReason[row.reason] = (droppedByReason[row.reason] ?? 0) + row.fixes;
  const droppedFixes = Object.values(droppedByReason).reduce((a, b) => a + b, 0);
  return {
    keptFixes: fixes.length,
    outsideGrid: fixes.filter((fix) => !fix.inGrid).length,
    rawFixes: dropped === null ? null : fixes.length + droppedFixes,
    droppedByReason: dropped === null ? null : droppedByReason,
  };
}
