/** Test fixtures: 1-minute rows from a fixed origin (2024-03-04 08:00 UTC). */
import type { SensorRow } from '../sensor-row.js';

export const T0_MS = Date.UTC(2024, 2, 4, 8, 0, 0);

/** A row at `minute` after the origin; unspecified measurements are null. */
export function row(minute: number, values: Partial<Omit<SensorRow, 'timeMs'>> = {}): SensorRow {
  return {
    timeMs: T0_MS + minute * 60_000,
    pm1: null,
    pm25: null,
    pm10: null,
    no2: null,
    bc: null,
    temperature: null,
    humidity: null,
    activity: null,
    event: null,
    ...values,
  };
}

/** Rows at the given minutes with one variable taking the given values. */
export function series(variable: keyof Omit<SensorRow, 'timeMs' | 'activity' | 'event'>, minutes: readonly number[], values: readonly (number | null)[]): SensorRow[] {
  return minutes.map((m, i) => row(m, { [variable]: values[i] ?? null }));
}

/** 0, 1, …, n − 1. */
export function minutes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
