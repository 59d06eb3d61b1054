import { haversineDistanceM } from '@polluscope/common/domain';
import { describe, expect, it } from 'vitest';
import { isWithinDistanceM } from './is-within-distance.js';

describe('isWithinDistanceM', () => {
  it('answers clear cases by the planar estimate as the haversine would', () => {
    expect(isWithinDistanceM(48.8, 2.3, 48.8, 2.301, 100)).toBe(true); // 73 m
    expect(isWithinDistanceM(48.8, 2.3, 48.8, 2.302, 100)).toBe(false); // 146 m
    expect(isWithinDistanceM(48.8, 2.3, 48.8, 2.3, 0)).toBe(true);
  });

  it('follows the haversine to the centimetre at the limit', () => {
    const d = haversineDistanceM(48.8, 2.3, 48.8006, 2.3007);
    expect(isWithinDistanceM(48.8, 2.3, 48.8006, 2.3007, d + 0.01)).toBe(true);
    expect(isWithinDistanceM(48.8, 2.3, 48.8006, 2.3007, d - 0.01)).toBe(false);
  });

  it('uses the haversine across the antimeridian and near the poles', () => {
    expect(isWithinDistanceM(0, 179.9995, 0, -179.9995, 200)).toBe(true); // 111 m the short way
    expect(isWithinDistanceM(89.9, 0, 89.9, 0.5, 100)).toBe(true); // 97 m near the pole
    expect(isWithinDistanceM(89.9, 0, 89.9, 0.6, 100)).toBe(false); // 116 m
  });

  it('agrees with the haversine on a grid of offsets around Paris', () => {
    let disagreements = 0;
    for (let i = -30; i <= 30; i++) {
      for (let j = -30; j <= 30; j++) {
        const lat2 = 48.85 + i * 0.00003;
        const lon2 = 2.35 + j * 0.00004;
        const exact = haversineDistanceM(48.85, 2.35, lat2, lon2) <= 100;
        if (isWithinDistanceM(48.85, 2.35, lat2, lon2, 100) !== exact) disagreements++;
      }
    }
    expect(disagreements).toBe(0);
  });
});
