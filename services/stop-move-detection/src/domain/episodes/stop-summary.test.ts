import { describe, expect, it } from 'vitest';
import { buildEpisode } from './build-episode.js';
import { EXTREME_DIRECTIONS, extendExtremes, stopEpisodeFromSummary, summariseStop } from './stop-summary.js';
import { pt } from '../trajectory/test-points.js';

describe('extendExtremes', () => {
  it('keeps a fixed number of points, and the farthest one in each direction', () => {
    const extremes = new Array<[number, number] | null>(EXTREME_DIRECTIONS).fill(null);
    for (const p of [[0, 0], [2, 0], [1, 1], [2, 2], [1, 0], [0, 2]] as Array<[number, number]>) extendExtremes(extremes, p, 0, 0);
    expect(extremes).toHaveLength(EXTREME_DIRECTIONS);
    expect(extremes[0]).toEqual([2, 0]); // east: the first of the two easternmost
    expect(extremes[27]).toEqual([0, 0]); // south: the first of the two southernmost
    expect(extremes[4]).toEqual([2, 2]); // north-east
  });

  it('gives a radius within 0.4 % of the largest distance, with O(1) state however many points', () => {
    const points = Array.from({ length: 5000 }, (_, k) => pt(15 * Math.sin(k * 1.7), 15 * Math.cos(k * 2.3), k));
    const s = summariseStop(points, 0, points.length - 1, () => false, 0, 300_000);
    const exact = buildEpisode('stop', points, 0, points.length - 1);
    if (exact.type !== 'stop') throw new Error('expected a stop');
    const radius = stopEpisodeFromSummary(s).radiusM;
    expect(radius).toBeLessThanOrEqual(exact.radiusM + 1e-9);
    expect(radius).toBeGreaterThan(exact.radiusM * 0.996);
    expect(s.extremes).toHaveLength(EXTREME_DIRECTIONS);
  });
});

describe('summariseStop', () => {
  it('gives the statistics buildEpisode gives from the points', () => {
    const points = [pt(0, 0, 0, 7), pt(10, 0, 30, 7), pt(0, 10, 60, 8), pt(5, 5, 90, 8), pt(0, 0, 120, 8)];
    const fromSummary = stopEpisodeFromSummary(summariseStop(points, 0, 4, () => false, 0, 300_000));
    const fromPoints = buildEpisode('stop', points, 0, 4);
    if (fromPoints.type !== 'stop') throw new Error('expected a stop');
    expect(fromSummary.centroidLat).toBeCloseTo(fromPoints.centroidLat, 12);
    expect(fromSummary.centroidLon).toBeCloseTo(fromPoints.centroidLon, 12);
    expect(fromSummary.radiusM).toBeCloseTo(fromPoints.radiusM, 6);
    expect([fromSummary.hilbert, fromSummary.pointCount, fromSummary.durationS, fromSummary.gap]).toEqual([8, 5, 120, false]);
  });

  it('flags a gap longer than maxGapS and counts outliers in pointCount only', () => {
    const points = [pt(0, 0, 0), pt(500, 0, 30), pt(0, 0, 60), pt(0, 0, 8 * 3600)];
    const s = summariseStop(points, 0, 3, (k) => k === 1, 0, 300_000);
    expect([s.pointCount, s.n, s.gap]).toEqual([4, 3, true]);
    expect(stopEpisodeFromSummary(s).radiusM).toBeCloseTo(0, 6);
  });
});
