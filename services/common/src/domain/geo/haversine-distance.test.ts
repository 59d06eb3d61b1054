import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineDistanceM } from './haversine-distance.js';

describe('haversineDistanceM', () => {
  it('is 0 between a point and itself', () => {
    expect(haversineDistanceM(48.8, 2.3, 48.8, 2.3)).toBe(0);
  });

  it('measures 0.01° of longitude in Paris as about 731.6 m', () => {
    expect(haversineDistanceM(48.8566, 2.3522, 48.8566, 2.3622)).toBeCloseTo(731.6, 1);
  });

  it('measures one degree of latitude as R·π/180', () => {
    expect(haversineDistanceM(48, 2, 49, 2)).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6);
  });

  it('is symmetric and takes the short way across the antimeridian', () => {
    expect(haversineDistanceM(0, 179.999, 0, -179.999)).toBeCloseTo(haversineDistanceM(0, -179.999, 0, 179.999), 9);
    expect(haversineDistanceM(0, 179.999, 0, -179.999)).toBeCloseTo((0.002 * EARTH_RADIUS_M * Math.PI) / 180, 6);
  });
});
