import type { Pollutant, SensorMinute } from '../day/types.js';

export interface SeriesPoint {
  readonly time: Date;
  /** null breaks the line: a missing value, or a gap between minutes. */
  readonly value: number | null;
}

/**
 * A pollutant's line: one point per minute, and a break (a null point) wherever more than
 * `maxGapMs` separates two minutes, so the line never bridges time without measurements.
 */
export function seriesPoints(minutes: readonly SensorMinute[], pollutant: Pollutant, maxGapMs = 120_000): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  let previousMs: number | null = null;
  for (const minute of minutes) {
    if (previousMs !== null && minute.timeMs - previousMs > maxGapMs) points.push({ time: new Date(previousMs + 60_000), value: null });
    points.push({ time: new Date(minute.timeMs), value: minute.values[pollutant] });
    previousMs = minute.timeMs;
  }
  return points;
}

export interface FlaggedMinute {
  readonly time: Date;
  /** The value kept (`high`, `clipped`), or null when cleaning removed it (`range`, `warmup`, `spike`). */
  readonly value: number | null;
  readonly flags: string;
}

/** The minutes flagged for a pollutant, with their flags joined. */
export function flaggedMinutes(minutes: readonly SensorMinute[], pollutant: Pollutant): FlaggedMinute[] {
  return minutes.flatMap((minute) => {
    const flags = minute.flags.filter((f) => f.variable === pollutant).map((f) => f.flag);
    return flags.length === 0 ? [] : [{ time: new Date(minute.timeMs), value: minute.values[pollutant], flags: flags.join(', ') }];
  });
}
