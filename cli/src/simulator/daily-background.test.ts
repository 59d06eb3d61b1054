import { describe, expect, it } from 'vitest';
import { dailyBackgroundFactors, feltFactor } from './daily-background.js';
import { defaultSettingValues } from './settings.js';

const params = defaultSettingValues.dailyBackground;

describe('dailyBackgroundFactors', () => {
  it('gives the same factors for the same seed and day, other ones for another seed', () => {
    const a = dailyBackgroundFactors(params, 42, 3);
    expect(dailyBackgroundFactors(params, 42, 5).slice(0, 3)).toEqual(a);
    expect(dailyBackgroundFactors(params, 43, 3)).not.toEqual(a);
    expect(new Set(a.map((f) => f.pm)).size).toBe(3);
  });

  it('is log-normal with the set spread and correlated across pollutants', () => {
    const f = dailyBackgroundFactors(params, 1, 4000);
    const logs = (k: 'pm' | 'no2' | 'bc') => f.map((d) => Math.log(d[k]));
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    const std = (x: number[]) => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2)));
    expect(Math.abs(mean(logs('pm')))).toBeLessThan(0.03);
    expect(std(logs('pm'))).toBeCloseTo(0.45, 1);
    expect(std(logs('no2'))).toBeCloseTo(0.3, 1);
    const pm = logs('pm');
    const no2 = logs('no2');
    const corr = mean(pm.map((v, i) => v * no2[i]!)) / (std(pm) * std(no2));
    expect(corr).toBeGreaterThan(0.5);
    expect(corr).toBeLessThan(0.7);
  });
});

describe('feltFactor', () => {
  it('passes the whole factor outdoors, part of it indoors', () => {
    expect(feltFactor(2, 1)).toBe(2);
    expect(feltFactor(2, 0.5)).toBeCloseTo(Math.SQRT2, 12);
    expect(feltFactor(2, 0)).toBe(1);
  });
});
