import { localTime } from '../rules/time-of-day-rules.js';
import type { SegmentFeatures } from './view-features.js';

/**
 * Features of a segment beyond single views, fed to the meta forest beside the views' votes:
 * - `hour_sin`, `hour_cos`: local time of the segment start on the 24-hour circle;
 * - `weekend`: 1 on Saturday and Sunday (local), else 0;
 * - `log_pm1_pm25`, `log_pm10_pm25`: ln of the ratio of the segment means (fine vs coarse dust:
 *   métro and station brake dust raise PM10);
 * - `log_bc_no2`: ln((BC mean ng/m³ + 100) / (NO2 mean ppb + 1)), combustion soot vs gas.
 * A ratio whose views are absent (or whose means are not positive) is {@link MISSING_CONTEXT}.
 */
export const CONTEXT_FEATURES = ['hour_sin', 'hour_cos', 'weekend', 'log_pm1_pm25', 'log_pm10_pm25', 'log_bc_no2'] as const;

/** Value of a ratio feature that cannot be computed; below any real log ratio. */
export const MISSING_CONTEXT = -99;

export interface ContextFeatureParams {
  /** IANA time zone of the participant, for the local hour and weekday. */
  readonly timeZone: string;
}

export const defaultContextFeatureParams: ContextFeatureParams = Object.freeze({ timeZone: 'Europe/Paris' });

// Indices in VIEWS order (temperature, humidity, no2, bc, pm1, pm25, pm10) and of the mean.
const NO2 = 2;
const BC = 3;
const PM1 = 4;
const PM25 = 5;
const PM10 = 6;
const MEAN = 0;

/**
 * Context features of a segment from its start and its view features.
 *
 * @example contextFeatures(Date.UTC(2024, 2, 5, 11, 0), features) // [0, -1, 0, -0.29, 0.47, 3.9] (Tue 12:00 in Paris)
 */
export function contextFeatures(segmentStartMs: number, features: SegmentFeatures, params: ContextFeatureParams = defaultContextFeatureParams): number[] {
  const { weekday, minuteOfDay } = localTime(segmentStartMs, params.timeZone);
  const angle = (2 * Math.PI * minuteOfDay) / 1440;
  const mean = (view: number): number | null => features[view]?.[MEAN] ?? null;
  const pm1 = mean(PM1);
  const pm25 = mean(PM25);
  const pm10 = mean(PM10);
  const bc = mean(BC);
  const no2 = mean(NO2);
  return [
    Math.sin(angle),
    Math.cos(angle),
    weekday === 0 || weekday === 6 ? 1 : 0,
    logRatio(pm1, pm25),
    logRatio(pm10, pm25),
    bc === null || no2 === null ? MISSING_CONTEXT : Math.log((Math.max(0, bc) + 100) / (Math.max(0, no2) + 1)),
  ];
}

function logRatio(a: number | null, b: number | null): number {
  return a === null || b === null || !(a > 0) || !(b > 0) ? MISSING_CONTEXT : Math.log(a / b);
}
