import { describe, expect, it } from 'vitest';
import { distanceM, offsetM, type LatLon } from './geo.js';
import { defaultGpsNoiseParams, GpsModel, type GpsFix } from './gps.js';
import { Random } from './random.js';
import type { TimelineSegment } from './timeline.js';

const ORIGIN: LatLon = { lat: 48.85, lon: 2.35 };
const T0 = Date.UTC(2026, 0, 5, 8);
const always = (): boolean => true;
const noFaults = { ...defaultGpsNoiseParams, outlierPerFix: 0, fixLossPerMinute: 0 };

function stay(minutes: number, label: TimelineSegment['label'] = 'Bureau'): TimelineSegment {
  return { label, startMs: T0, endMs: T0 + minutes * 60_000, path: [ORIGIN], isStop: true };
}

function trip(label: TimelineSegment['label'], metresEast: number, minutes: number): TimelineSegment {
  return { label, startMs: T0, endMs: T0 + minutes * 60_000, path: [ORIGIN, offsetM(ORIGIN, metresEast, 0)], isStop: false };
}

function run(segment: TimelineSegment, params = noFaults, rateHz = 1, isOn: (timeMs: number) => boolean = always): GpsFix[] {
  const out: GpsFix[] = [];
  new GpsModel('sim-001', 5001, rateHz, params, new Random(3)).fixes(segment, segment.startMs, segment.endMs, isOn, out);
  return out;
}

describe('GpsModel', () => {
  it('jitters 10–30 m around an indoor stay (90 % of fixes), drifting slowly, one fix per second', () => {
    const fixes = run(stay(12 * 60));
    expect(fixes).toHaveLength(12 * 3600);
    const rms = Math.sqrt(fixes.reduce((s, f) => s + distanceM(f, ORIGIN) ** 2, 0) / fixes.length);
    // A slowly wandering error: 12 hours give an RMS near the drawn 8–20 m, not exactly on it.
    expect(rms).toBeGreaterThan(5);
    expect(rms).toBeLessThan(25);
    const distances = fixes.map((f) => distanceM(f, ORIGIN)).sort((a, b) => a - b);
    const p90 = distances[Math.floor(0.9 * distances.length)] as number;
    expect(p90).toBeGreaterThan(8);
    expect(p90).toBeLessThan(40);
    expect(distances[distances.length - 1]).toBeLessThan(100);
    // Apparent speed over 10 s stays low, as at the real trajectory's stops (median 0.1–0.7 m/s).
    const speeds = fixes.slice(10).map((f, i) => distanceM(f, fixes[i] as GpsFix) / 10).sort((a, b) => a - b);
    expect(speeds[Math.floor(speeds.length / 2)]).toBeLessThan(0.8);
    expect(fixes.every((f, i) => f.timeMs === T0 + i * 1000 && f.participantId === 'sim-001' && f.tabletId === 5001)).toBe(true);
  });

  it('moves from origin to destination at the trip’s average speed', () => {
    const fixes = run(trip('Vélo', 3000, 12));
    expect(distanceM(fixes[0] as GpsFix, ORIGIN)).toBeLessThan(40);
    expect(distanceM(fixes[fixes.length - 1] as GpsFix, offsetM(ORIGIN, 3000, 0))).toBeLessThan(40);
    const halfway = fixes[360] as GpsFix;
    expect(distanceM(halfway, ORIGIN)).toBeGreaterThan(800);
    expect(distanceM(halfway, ORIGIN)).toBeLessThan(2200);
  });

  it('has no fix underground in the métro', () => {
    expect(run(trip('Métro', 5000, 10))).toEqual([]);
  });

  it('samples at the requested rate on multiples of the period, and not while the tablet is off', () => {
    const fixes = run(stay(10), noFaults, 0.2);
    expect(fixes).toHaveLength(120);
    expect(fixes.every((f) => f.timeMs % 5000 === 0)).toBe(true);
    const offFrom = T0 + 5 * 60_000;
    const partial = run(stay(10), noFaults, 1, (t) => t < offFrom);
    expect(partial).toHaveLength(300);
  });

  it('throws single-point outliers several hundred metres away and loses fixes now and then', () => {
    const fixes = run(stay(600, 'Domicile'), { ...defaultGpsNoiseParams, outlierPerFix: 0.002, fixLossPerMinute: 0.01 });
    const outliers = fixes.filter((f) => f.outlier);
    expect(outliers.length).toBeGreaterThan(20);
    for (const o of outliers) expect(distanceM(o, ORIGIN)).toBeGreaterThan(200);
    expect(fixes.filter((f) => !f.outlier).every((f) => distanceM(f, ORIGIN) < 200)).toBe(true);
    expect(fixes.length).toBeLessThan(600 * 60); // fix losses left gaps
    const gaps = fixes.filter((f, i) => i > 0 && f.timeMs - (fixes[i - 1] as GpsFix).timeMs >= 60_000);
    expect(gaps.length).toBeGreaterThan(0);
  });
});
