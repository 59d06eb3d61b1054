/** Tiny hand-made warehouse rows for the console's tests: times are minutes after 2026-01-12T00:00Z. */
import type { ExposureRowInput, FixRow, SensorMinuteRow, StopRow, TimelineRow } from './shape-participant-day.js';

export const DAY_START_MS = Date.UTC(2026, 0, 12);
export const at = (minute: number): Date => new Date(DAY_START_MS + minute * 60_000);

export function sensorRow(minute: number, fields: Partial<SensorMinuteRow> = {}): SensorMinuteRow {
  return {
    time: at(minute),
    pm1: 5,
    pm25: 10,
    pm10: 20,
    no2: 15,
    bc: 800,
    temperature: 20,
    humidity: 50,
    imputed_pm1: false,
    imputed_pm25: false,
    imputed_pm10: false,
    imputed_no2: false,
    imputed_bc: false,
    imputed_temperature: false,
    imputed_humidity: false,
    quality_flags: null,
    ...fields,
  };
}

export function timelineRow(minute: number, labels: { final?: string | null; predicted?: string | null; declared?: string | null } = {}, fields: Partial<TimelineRow> = {}): TimelineRow {
  return {
    segment_start: at(minute),
    segment_end: at(minute + 5),
    minutes: 5,
    final_label: labels.final === undefined ? 'Domicile' : labels.final,
    predicted_label: labels.predicted === undefined ? 'Domicile' : labels.predicted,
    declared_label: labels.declared === undefined ? 'Domicile' : labels.declared,
    source: 'sensors',
    confidence: 0.9,
    needs_review: false,
    ...fields,
  };
}

export function fixRow(minute: number, lat: number, lon: number, episode: { start: number; type: 'stop' | 'move'; mode?: string } | null, col: number | null = 1): FixRow {
  return {
    time: at(minute),
    lat,
    lon,
    col,
    episode_start: episode === null ? null : at(episode.start),
    episode_type: episode?.type ?? null,
    transport_mode: episode?.mode ?? null,
  };
}

export function stopRow(startMinute: number, endMinute: number, lat: number | null, lon: number | null): StopRow {
  return { episode_start: at(startMinute), episode_end: at(endMinute), centroid_lat: lat, centroid_lon: lon, duration_s: (endMinute - startMinute) * 60, radius_m: 40 };
}

export function exposureRow(microEnvironment: string, minutes: number, share: number | null): ExposureRowInput {
  return {
    micro_environment: microEnvironment,
    minutes,
    pm1_mean: minutes > 0 ? 5 : null,
    pm25_mean: minutes > 0 ? 10 : null,
    pm10_mean: minutes > 0 ? 20 : null,
    no2_mean: minutes > 0 ? 15 : null,
    bc_mean: minutes > 0 ? 800 : null,
    pm1_share: share,
    pm25_share: share,
    pm10_share: share,
    no2_share: share,
    bc_share: share,
    day_measured_minutes: 30,
    day_labelled_minutes: 25,
    day_length_minutes: 1440,
  };
}
