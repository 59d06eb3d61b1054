import { describe, expect, it } from 'vitest';
import { pt } from '../trajectory/test-points.js';
import { TRANSPORT_FEATURE_NAMES, transportFeatures } from './transport-features.js';

const named = (values: number[]): Record<string, number> => Object.fromEntries(TRANSPORT_FEATURE_NAMES.map((n, i) => [n, values[i]!]));

describe('transportFeatures', () => {
  it('describes a straight move at constant speed', () => {
    const f = named(transportFeatures([0, 1, 2, 3, 4].map((k) => pt(k * 100, 0, k * 10))));
    for (const name of ['speed_p10_mps', 'speed_p50_mps', 'speed_p95_mps', 'speed_max_mps', 'speed_mean_mps']) expect(f[name]).toBeCloseTo(10, 6);
    for (const name of ['speed_std_mps', 'accel_p95_mps2', 'jerk_p95_mps3', 'bearing_rate_p95_dps', 'low_speed_share']) expect(f[name]).toBeCloseTo(0, 6);
    expect(f.distance_m).toBeCloseTo(400, 3);
    expect(f.straight_line_m).toBeCloseTo(400, 3);
    expect(f.straightness).toBeCloseTo(1, 6);
    expect(f.step_distance_p50_m).toBeCloseTo(100, 3);
    expect(f.duration_s).toBe(40);
  });

  it('measures acceleration, jerk, turns and standing still', () => {
    // Steps: 10 m east in 10 s (1 m/s), 30 m north (3 m/s), none (0 m/s).
    const f = named(transportFeatures([pt(0, 0, 0), pt(10, 0, 10), pt(10, 30, 20), pt(10, 30, 30)]));
    expect(f.speed_p10_mps).toBeCloseTo(0.2, 6);
    expect(f.speed_p50_mps).toBeCloseTo(1, 6);
    expect(f.speed_p85_mps).toBeCloseTo(2.4, 6);
    expect(f.speed_p95_mps).toBeCloseTo(2.8, 6);
    expect(f.speed_max_mps).toBeCloseTo(3, 6);
    expect(f.speed_mean_mps).toBeCloseTo(40 / 30, 6);
    expect(f.speed_std_mps).toBeCloseTo(Math.sqrt(14 / 9), 6);
    // Accelerations +0.2 and -0.3 m/s² (steps' midpoints 10 s apart); jerk 0.05 m/s³.
    expect(f.accel_p50_mps2).toBeCloseTo(0.25, 6);
    expect(f.accel_p85_mps2).toBeCloseTo(0.285, 6);
    expect(f.accel_p95_mps2).toBeCloseTo(0.295, 6);
    expect(f.jerk_p50_mps3).toBeCloseTo(0.05, 6);
    expect(f.jerk_p95_mps3).toBeCloseTo(0.05, 6);
    // East then north: 90° in 10 s; the still step has no heading.
    expect(f.bearing_rate_p50_dps).toBeCloseTo(9, 3);
    expect(f.bearing_rate_p95_dps).toBeCloseTo(9, 3);
    expect(f.low_speed_share).toBeCloseTo(1 / 3, 6);
    expect(f.distance_m).toBeCloseTo(40, 3);
    expect(f.straight_line_m).toBeCloseTo(Math.sqrt(1000), 3);
    expect(f.straightness).toBeCloseTo(Math.sqrt(1000) / 40, 5);
    expect(f.step_distance_p50_m).toBeCloseTo(10, 3);
    expect(f.duration_s).toBe(30);
  });

  it('is all zeros but the duration for fewer than 2 points', () => {
    expect(transportFeatures([])).toEqual(new Array(21).fill(0));
    expect(transportFeatures([pt(0, 0, 5)])).toEqual(new Array(21).fill(0));
  });
});
