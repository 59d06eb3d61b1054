import { haversineDistanceM } from '@polluscope/common/domain';
import { bearing } from '@turf/bearing';
import { quantileSorted, standardDeviation } from 'simple-statistics';
import type { TrackPoint } from '../trajectory/track-point.js';

/**
 * The features of a move, in the order the model reads them. Steps are consecutive points;
 * percentiles use linear interpolation; a move with fewer than 2 points has all features 0 but
 * its duration.
 * - speed_*: step speed (step distance / step time), m/s; speed_mean is distance / duration.
 * - accel_*: |Δ step speed| / time between the two steps' midpoints, m/s².
 * - jerk_*: |Δ signed acceleration| / time between the accelerations' midpoints, m/s³.
 * - bearing_rate_*: |Δ heading| (wrapped to 0…180°) / time between step midpoints, °/s, over
 *   steps at least `minBearingStepM` long (the heading of a shorter step is GPS noise).
 * - low_speed_share: share of the duration spent in steps slower than `lowSpeedMps`.
 * - distance_m, straight_line_m (first to last point), straightness (their ratio),
 *   step_distance_p50_m; duration_s.
 */
export const TRANSPORT_FEATURE_NAMES = Object.freeze([
  'speed_p10_mps',
  'speed_p50_mps',
  'speed_p85_mps',
  'speed_p95_mps',
  'speed_max_mps',
  'speed_mean_mps',
  'speed_std_mps',
  'accel_p50_mps2',
  'accel_p85_mps2',
  'accel_p95_mps2',
  'jerk_p50_mps3',
  'jerk_p95_mps3',
  'bearing_rate_p50_dps',
  'bearing_rate_p85_dps',
  'bearing_rate_p95_dps',
  'low_speed_share',
  'distance_m',
  'straight_line_m',
  'straightness',
  'step_distance_p50_m',
  'duration_s',
] as const);

export interface TransportFeatureParams {
  /** Steps shorter than this carry no heading, metres. */
  readonly minBearingStepM: number;
  /** Below this a step counts as standing still, m/s. */
  readonly lowSpeedMps: number;
}

export const defaultTransportFeatureParams: TransportFeatureParams = Object.freeze({ minBearingStepM: 2, lowSpeedMps: 0.6 });

/** Ascending, as a typed array sorts (numeric, NaN last), for `quantileSorted`. */
const sortedOf = (values: number[]): number[] => Array.from(Float64Array.from(values).sort());
const q = (sorted: number[], p: number): number => (sorted.length === 0 ? 0 : quantileSorted(sorted, p));

/**
 * Features of the move made of `points` (sorted by time), in TRANSPORT_FEATURE_NAMES order.
 *
 * @example transportFeatures(movePoints)[TRANSPORT_FEATURE_NAMES.indexOf('speed_p50_mps')]
 */
export function transportFeatures(points: readonly TrackPoint[], params: TransportFeatureParams = defaultTransportFeatureParams): number[] {
  const n = points.length;
  const durationS = n === 0 ? 0 : (points[n - 1]!.timeMs - points[0]!.timeMs) / 1000;
  const features = new Array<number>(TRANSPORT_FEATURE_NAMES.length).fill(0);
  features[20] = durationS;
  if (n < 2 || durationS <= 0) return features;

  const speeds: number[] = [];
  const steps: number[] = [];
  const mids: number[] = []; // step midpoint times, s
  const headings: Array<number | null> = [];
  let distanceM = 0;
  let lowS = 0;
  for (let i = 1; i < n; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dtS = (b.timeMs - a.timeMs) / 1000;
    const stepM = haversineDistanceM(a.lat, a.lon, b.lat, b.lon);
    const speed = stepM / dtS;
    distanceM += stepM;
    steps.push(stepM);
    speeds.push(speed);
    mids.push((a.timeMs + b.timeMs) / 2000);
    // Initial bearing, −180…180° from north: only differences between headings are used.
    headings.push(stepM >= params.minBearingStepM ? bearing([a.lon, a.lat], [b.lon, b.lat]) : null);
    if (speed < params.lowSpeedMps) lowS += dtS;
  }
  const accels: number[] = [];
  const accelMids: number[] = [];
  const bearingRates: number[] = [];
  for (let k = 1; k < speeds.length; k++) {
    const dt = mids[k]! - mids[k - 1]!;
    accels.push((speeds[k]! - speeds[k - 1]!) / dt);
    accelMids.push((mids[k]! + mids[k - 1]!) / 2);
    const h0 = headings[k - 1];
    const h1 = headings[k];
    if (h0 !== null && h0 !== undefined && h1 !== null && h1 !== undefined) {
      const turn = Math.abs(h1 - h0) % 360;
      bearingRates.push((turn > 180 ? 360 - turn : turn) / dt);
    }
  }
  const jerks: number[] = [];
  for (let k = 1; k < accels.length; k++) jerks.push(Math.abs(accels[k]! - accels[k - 1]!) / (accelMids[k]! - accelMids[k - 1]!));

  const s = sortedOf(speeds);
  const a = sortedOf(accels.map(Math.abs));
  const j = sortedOf(jerks);
  const br = sortedOf(bearingRates);
  const std = standardDeviation(speeds);
  const first = points[0]!;
  const last = points[n - 1]!;
  const straightM = haversineDistanceM(first.lat, first.lon, last.lat, last.lon);
  const values = [
    q(s, 0.1), q(s, 0.5), q(s, 0.85), q(s, 0.95), s[s.length - 1]!, distanceM / durationS, std,
    q(a, 0.5), q(a, 0.85), q(a, 0.95),
    q(j, 0.5), q(j, 0.95),
    q(br, 0.5), q(br, 0.85), q(br, 0.95),
    lowS / durationS,
    distanceM, straightM, distanceM > 0 ? straightM / distanceM : 0, q(sortedOf(steps), 0.5),
    durationS,
  ];
  return values;
}
