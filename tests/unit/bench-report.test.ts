import { describe, expect, it } from 'vitest';
import { percentile, timeAtShare } from '../../bench/pipeline/report.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, whatever the input order', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile(values, 10)).toBe(10);
    expect(percentile(values, 0)).toBe(10);
  });

  it('is NaN without values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('timeAtShare', () => {
  const curve = [
    { atMs: 0, share: 0 },
    { atMs: 1000, share: 0.2 },
    { atMs: 2000, share: 0.6 },
    { atMs: 3000, share: 1 },
  ];

  it('interpolates between the polls around the share', () => {
    expect(timeAtShare(curve, 0.1)).toBe(500);
    expect(timeAtShare(curve, 0.4)).toBe(1500);
    expect(timeAtShare(curve, 0.9)).toBe(2750);
  });

  it('is the poll itself when it is hit exactly or at the first poll', () => {
    expect(timeAtShare(curve, 0.6)).toBe(2000);
    expect(timeAtShare([{ atMs: 7, share: 0.5 }], 0.1)).toBe(7);
  });

  it('is null when the share was never reached', () => {
    expect(timeAtShare(curve.slice(0, 2), 0.9)).toBeNull();
  });
});
