import { describe, expect, it } from 'vitest';
import { intervalOverlapMs, intervalsIntersect } from './interval-overlap.js';

describe('intervalOverlapMs', () => {
  it('measures the shared part of a segment and an episode', () => {
    expect(intervalOverlapMs(0, 300, 120, 900)).toBe(180);
    expect(intervalOverlapMs(0, 300, -50, 1000)).toBe(300);
    expect(intervalOverlapMs(100, 200, 120, 150)).toBe(30);
  });

  it('is 0 for disjoint intervals and single-point episodes', () => {
    expect(intervalOverlapMs(0, 300, 300, 600)).toBe(0);
    expect(intervalOverlapMs(0, 300, 400, 600)).toBe(0);
    expect(intervalOverlapMs(0, 300, 100, 100)).toBe(0);
  });
});

describe('intervalsIntersect', () => {
  it('treats the segment as half-open and the episode as closed', () => {
    expect(intervalsIntersect(0, 300, 300, 600)).toBe(false);
    expect(intervalsIntersect(0, 300, -100, 0)).toBe(true);
    expect(intervalsIntersect(0, 300, 100, 100)).toBe(true);
    expect(intervalsIntersect(0, 300, -100, -1)).toBe(false);
  });
});
