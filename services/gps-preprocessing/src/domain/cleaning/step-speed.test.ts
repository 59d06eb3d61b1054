import { describe, expect, it } from 'vitest';
import { stepSpeedMps } from './step-speed.js';

describe('stepSpeedMps', () => {
  it('is the haversine distance over the seconds between the fixes', () => {
    expect(stepSpeedMps({ timeMs: 0, lat: 48.85, lon: 2.35 }, { timeMs: 1000, lat: 48.85001, lon: 2.35 })).toBeCloseTo(1.112, 3);
    expect(stepSpeedMps({ timeMs: 0, lat: 48.85, lon: 2.35 }, { timeMs: 10_000, lat: 48.85, lon: 2.35 })).toBe(0);
  });
});
