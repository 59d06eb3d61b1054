import { describe, expect, it } from 'vitest';
import { contextFeatures, MISSING_CONTEXT } from './context-features.js';

describe('contextFeatures', () => {
  const mean = (m: number) => [m, 0, m, m, m, 0, 0, 0];

  it('gives the local hour on the circle, the weekend flag and log ratios of the view means', () => {
    // Tuesday 5 March 2024 11:00 UTC = 12:00 in Paris; pm1 5, pm25 10, pm10 20, bc 900, no2 9.
    const f = contextFeatures(Date.UTC(2024, 2, 5, 11), [null, null, mean(9), mean(900), mean(5), mean(10), mean(20)]);
    expect(f[0]).toBeCloseTo(0, 12);
    expect(f[1]).toBe(-1);
    expect(f[2]).toBe(0);
    expect(f.slice(3)).toEqual([Math.log(0.5), Math.log(2), Math.log(1000 / 10)]);
  });

  it('flags the weekend in the given time zone and fills ratios of absent views', () => {
    // Friday 23:30 UTC is Saturday 00:30 in Paris, still Friday in New York.
    const t = Date.UTC(2024, 2, 8, 23, 30);
    const none = [null, null, null, null, null, null, null];
    expect(contextFeatures(t, none)[2]).toBe(1);
    expect(contextFeatures(t, none, { timeZone: 'America/New_York' })[2]).toBe(0);
    expect(contextFeatures(t, none).slice(3)).toEqual([MISSING_CONTEXT, MISSING_CONTEXT, MISSING_CONTEXT]);
  });
});
