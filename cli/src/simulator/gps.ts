/**
 * The tablet's GPS fixes: jitter around the place during stays (indoor fixes wander 10–30 m),
 * motion along the trip's path with a realistic speed profile (halts at lights and stops),
 * one-point outliers, short fix losses, and no fix at all in the métro.
 */
import { distanceM, metresPerDegLon, type LatLon } from './geo.js';
import { ar1Step, type Random } from './random.js';
import { isMoveMode, MODE_MOTION } from './speeds.js';
import type { TimelineSegment } from './timeline.js';

export interface GpsNoiseParams {
  /**
   * RMS distance of fixes from the true place at indoor stays, drawn per stay, metres; 8–20 m
   * RMS puts 90 % of fixes within 12–30 m, like the real trajectory's stops.
   */
  readonly stopJitterM: readonly [min: number, max: number];
  /** Same outdoors (parks) and during trips, metres. */
  readonly outdoorJitterM: readonly [min: number, max: number];
  /** Autocorrelation of the error from one second to the next, at stays and during trips. */
  readonly stopErrorPhiPerS: number;
  readonly moveErrorPhiPerS: number;
  /** Per fix: probability of a one-point jump, and its distance in metres. */
  readonly outlierPerFix: number;
  readonly outlierJumpM: readonly [min: number, max: number];
  /** Per minute: probability that the fix is lost, and for how many minutes. */
  readonly fixLossPerMinute: number;
  readonly fixLossMinutes: readonly [min: number, max: number];
  /** Trips with no fix at all (underground). */
  readonly undergroundModes: readonly string[];
}

export const defaultGpsNoiseParams: GpsNoiseParams = Object.freeze({
  stopJitterM: [8, 20] as const,
  outdoorJitterM: [3, 8] as const,
  // Indoor fixes wander slowly (a few minutes' correlation), as in the real trajectory's stops.
  stopErrorPhiPerS: 0.997,
  moveErrorPhiPerS: 0.9,
  outlierPerFix: 0.0005,
  outlierJumpM: [300, 900] as const,
  fixLossPerMinute: 0.004,
  fixLossMinutes: [1, 5] as const,
  undergroundModes: ['Métro'],
});

export interface GpsFix {
  readonly participantId: string;
  readonly tabletId: number;
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
  /** True when this fix is an injected outlier. */
  readonly outlier: boolean;
}

/** A trip's geometry and cumulative distance per second since its start. */
interface TripProfile {
  readonly segment: TimelineSegment;
  readonly cumLengthM: Float64Array; // along the polyline, per vertex
  readonly cumDistanceM: Float64Array; // travelled, per second
}

const M_PER_DEG_LAT = 111_320;

/** Generates fixes segment by segment; call with non-decreasing times. */
export class GpsModel {
  private readonly periodMs: number;
  private trip: TripProfile | null = null;
  private stopSegment: TimelineSegment | null = null;
  private sigmaM = 10;
  private zEast = 0;
  private zNorth = 0;
  private lostUntilMs = -Infinity;
  private lastTimeMs = -Infinity;

  constructor(
    private readonly participantId: string,
    private readonly tabletId: number,
    rateHz: number,
    private readonly params: GpsNoiseParams,
    private readonly rng: Random,
  ) {
    this.periodMs = Math.max(1, Math.round(1000 / rateHz));
  }

  /** Appends the fixes of `segment` with times in [fromMs, toMs), skipping times `isOn` rejects. */
  fixes(segment: TimelineSegment, fromMs: number, toMs: number, isOn: (timeMs: number) => boolean, out: GpsFix[]): void {
    const p = this.params;
    const rng = this.rng;
    const start = Math.max(segment.startMs, fromMs);
    const end = Math.min(segment.endMs, toMs);
    if (!segment.isStop && (segment.underground === true || p.undergroundModes.includes(segment.label))) return;
    this.enter(segment);
    const lossPerFix = (p.fixLossPerMinute * this.periodMs) / 60_000;
    const phi = Math.pow(segment.isStop ? p.stopErrorPhiPerS : p.moveErrorPhiPerS, this.periodMs / 1000);
    for (let t = Math.ceil(start / this.periodMs) * this.periodMs; t < end; t += this.periodMs) {
      if (!isOn(t)) continue;
      if (t < this.lostUntilMs) continue;
      if (rng.chance(lossPerFix)) {
        this.lostUntilMs = t + rng.int(p.fixLossMinutes[0] * 60, p.fixLossMinutes[1] * 60) * 1000;
        continue;
      }
      // After a gap the receiver starts a fresh error, not the one it had before.
      const dt = t - this.lastTimeMs;
      const phiNow = dt > 10 * this.periodMs ? 0 : phi;
      this.lastTimeMs = t;
      this.zEast = ar1Step(this.zEast, phiNow, rng);
      this.zNorth = ar1Step(this.zNorth, phiNow, rng);
      const truth = segment.isStop ? (segment.path[0] as LatLon) : this.tripPosition(t);
      let east = this.sigmaM * this.zEast;
      let north = this.sigmaM * this.zNorth;
      const outlier = rng.chance(p.outlierPerFix);
      if (outlier) {
        const r = rng.uniform(p.outlierJumpM[0], p.outlierJumpM[1]);
        const a = rng.uniform(0, 2 * Math.PI);
        east += r * Math.cos(a);
        north += r * Math.sin(a);
      }
      // 7 decimals ≈ 1 cm: what a tablet reports, and short CSV cells.
      out.push({
        participantId: this.participantId,
        tabletId: this.tabletId,
        timeMs: t,
        lat: Math.round((truth.lat + north / M_PER_DEG_LAT) * 1e7) / 1e7,
        lon: Math.round((truth.lon + east / metresPerDegLon(truth.lat)) * 1e7) / 1e7,
        outlier,
      });
    }
  }

  private enter(segment: TimelineSegment): void {
    if (segment === this.stopSegment || segment === this.trip?.segment) return;
    const p = this.params;
    const outdoor = !segment.isStop || segment.label === 'Parc';
    // Per-axis std from the 2-D RMS distance.
    this.sigmaM = (outdoor ? this.rng.uniform(...p.outdoorJitterM) : this.rng.uniform(...p.stopJitterM)) / Math.SQRT2;
    if (segment.isStop) {
      this.stopSegment = segment;
      this.trip = null;
    } else {
      this.stopSegment = null;
      this.trip = buildTripProfile(segment, this.rng);
    }
  }

  private tripPosition(timeMs: number): LatLon {
    const trip = this.trip as TripProfile;
    const path = trip.segment.path;
    const s = (timeMs - trip.segment.startMs) / 1000;
    const i = Math.min(trip.cumDistanceM.length - 2, Math.floor(s));
    const f = s - i;
    const d = (trip.cumDistanceM[i] as number) * (1 - f) + (trip.cumDistanceM[i + 1] as number) * f;
    // Locate d on the polyline (binary search over vertices).
    const cum = trip.cumLengthM;
    let lo = 0;
    let hi = cum.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) <= d) lo = mid;
      else hi = mid;
    }
    const a = path[lo] as LatLon;
    const b = (path[hi] ?? a) as LatLon;
    const span = (cum[hi] as number) - (cum[lo] as number);
    const g = span > 0 ? Math.min(1, Math.max(0, (d - (cum[lo] as number)) / span)) : 0;
    return { lat: a.lat + (b.lat - a.lat) * g, lon: a.lon + (b.lon - a.lon) * g };
  }
}

/** Speed per second: AR(1) around a drawn cruise speed, with halts; scaled to the path length. */
function buildTripProfile(segment: TimelineSegment, rng: Random): TripProfile {
  const path = segment.path;
  const cumLengthM = new Float64Array(path.length);
  for (let i = 1; i < path.length; i++) {
    cumLengthM[i] = (cumLengthM[i - 1] as number) + distanceM(path[i - 1] as LatLon, path[i] as LatLon);
  }
  const durationS = Math.max(1, Math.round((segment.endMs - segment.startMs) / 1000));
  const motion = segment.motion ?? (isMoveMode(segment.label) ? MODE_MOTION[segment.label] : MODE_MOTION.Walk);
  const cumDistanceM = new Float64Array(durationS + 1);
  let z = 0;
  let haltLeftS = 0;
  const haltPerS = motion.meanHaltIntervalS > 0 ? 1 / motion.meanHaltIntervalS : 0;
  for (let k = 1; k <= durationS; k++) {
    z = ar1Step(z, 0.95, rng);
    if (haltLeftS === 0 && rng.chance(haltPerS)) haltLeftS = rng.int(motion.haltS[0], motion.haltS[1]);
    let v = 0;
    if (haltLeftS > 0) haltLeftS--;
    else v = Math.max(0.05, 1 + motion.speedJitter * z);
    cumDistanceM[k] = (cumDistanceM[k - 1] as number) + v;
  }
  const total = cumDistanceM[durationS] as number;
  const lengthM = cumLengthM[path.length - 1] as number;
  const scale = total > 0 ? lengthM / total : 0;
  for (let k = 0; k <= durationS; k++) cumDistanceM[k] = (cumDistanceM[k] as number) * scale;
  return { segment, cumLengthM, cumDistanceM };
}
