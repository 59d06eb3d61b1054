import { describe, expect, it } from 'vitest';
import { KitResponse, lagAlpha, lagStep } from './kit-response.js';
import { Random } from './random.js';
import type { SensorValues } from './sensor.js';

const air = (pm25: number): SensorValues => ({ pm1: pm25 / 2, pm25, pm10: 2 * pm25, no2: 10, bc: 1000, temperature: 20, humidity: 50 });
const MIN = 60_000;

describe('lagAlpha, lagStep', () => {
  it('closes 1 − e^(−1/τ) of the gap each minute', () => {
    expect(lagAlpha(1)).toBeCloseTo(0.6321, 4);
    expect(lagAlpha(2)).toBeCloseTo(0.3935, 4);
    expect(lagStep(10, 20, 0.5)).toBe(15);
  });
});

describe('KitResponse', () => {
  it('without settings reports the air as it is', () => {
    const kit = new KitResponse(null, null, new Random(1));
    expect(kit.read(air(12.4), 0)).toEqual(air(12.4));
  });

  it('multiplies each pollutant by its kit gain (PM channels share one), leaves temperature and humidity', () => {
    const kit = new KitResponse({ gain: [1.3, 1.3] }, null, new Random(1));
    expect(kit.read(air(10), 0)).toEqual({ pm1: 6.5, pm25: 13, pm10: 26, no2: 13, bc: 1300, temperature: 20, humidity: 50 });
  });

  it('follows a step of the air with a first-order lag and restarts after a gap', () => {
    const kit = new KitResponse(null, { timeConstantMin: [1, 1] }, new Random(1));
    expect(kit.read(air(10), 0).pm25).toBe(10);
    expect(kit.read(air(110), MIN).pm25).toBe(73.2); // 10 + 100 × 0.632
    expect(kit.read(air(110), 2 * MIN).pm25).toBe(96.5);
    expect(kit.read(air(50), 20 * MIN).pm25).toBe(50); // the kit was off: a new session starts at the air
  });
});
