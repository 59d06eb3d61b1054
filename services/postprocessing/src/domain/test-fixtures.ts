/** Test fixtures: tiny timelines in minutes from a fixed origin, one participant. */
import type { ActivitySegmentRecord, GpsEpisodeRecord, ReviewDecisionRecord } from './records.js';

/** Tuesday 2024-03-05 08:00 UTC (09:00 in Paris). */
export const T0_MS = Date.UTC(2024, 2, 5, 8, 0, 0);
export const MINUTE_MS = 60_000;
export const P = 'p1';

/** Epoch ms of minute `m` after T0. */
export function at(m: number): number {
  return T0_MS + m * MINUTE_MS;
}

/** The i-th 5-minute segment after T0 with a sensor label and confidence. */
export function seg(i: number, label: string | null, values: Partial<ActivitySegmentRecord> = {}): ActivitySegmentRecord {
  return {
    participant_virtual_id: P,
    segment_start: at(5 * i),
    segment_end: at(5 * i + 5),
    minutes: 5,
    predicted_label: label,
    confidence: 0.7,
    declared_label: null,
    pm1_mean: null,
    pm25_mean: null,
    pm10_mean: null,
    no2_mean: null,
    bc_mean: null,
    temperature_mean: null,
    humidity_mean: null,
    ...values,
  };
}

/** A stop from minute `from` to minute `to`. */
export function stop(from: number, to: number): GpsEpisodeRecord {
  return { participant_virtual_id: P, episode_start: at(from), episode_end: at(to), episode_type: 'stop', transport_mode: null, transport_probability: null };
}

/** A move from minute `from` to minute `to` with its transport mode. */
export function move(from: number, to: number, mode: string | null, probability: number | null): GpsEpisodeRecord {
  return { participant_virtual_id: P, episode_start: at(from), episode_end: at(to), episode_type: 'move', transport_mode: mode, transport_probability: probability };
}

/** A review decision on segment i, decided at minute `decidedAt`. */
export function decision(i: number, label: string, decidedAt = 1000): ReviewDecisionRecord {
  return { participant_virtual_id: P, segment_start: at(5 * i), label, reviewer: 'ana', comment: null, decided_at: at(decidedAt) };
}
