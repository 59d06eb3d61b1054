import { describe, expect, it } from 'vitest';
import type { Episode } from '../episodes/episode.js';
import { detectHilbertDensityStops, defaultHilbertDensityParams } from './hilbert-density-detector.js';
import { pt } from './test-points.js';

const brief = (episodes: readonly Episode[]): Array<[string, number, number, number]> =>
  episodes.map((e) => [e.type, e.startMs / 1000, e.endMs / 1000, e.pointCount]);

// Tiny densities: a cell with 3 points in a day is dense.
const tiny = { ...defaultHilbertDensityParams, minPointsPerCell: 3 };
/** Points every 30 s from t0, each in the given Hilbert cell (null = outside the grid). */
const cells = (t0: number, hilberts: Array<number | null>) => hilberts.map((h, k) => pt(k * 10, 0, t0 + k * 30, h));

describe('detectHilbertDensityStops', () => {
  it('finds stops in dense cells, one per 8×8 block, and merges a short gap between equal blocks', () => {
    // Cells 640 and 641 are both in block 10, but 641 has one point: not dense, a 30 s move run
    // between two block-10 runs, merged with them. Cell 2000 (block 31) is a second stop.
    const points = cells(0, [null, null, null, null, null, 640, 640, 641, 640, 640, 2000, 2000, 2000, 2000, 2000, null, null, null, null, null]);
    const episodes = detectHilbertDensityStops(points, tiny);
    expect(brief(episodes)).toEqual([
      ['move', 0, 120, 5],
      ['stop', 150, 270, 5],
      ['stop', 300, 420, 5],
      ['move', 450, 570, 5],
    ]);
    expect(episodes.map((e) => (e.type === 'stop' ? e.hilbert : null))).toEqual([null, 640, 2000, null]);
  });

  it('merges a dense visit shorter than 2 minutes into the surrounding move', () => {
    const points = cells(0, [null, null, null, null, null, 640, 640, 640, null, null, null, null, null]);
    expect(brief(detectHilbertDensityStops(points, tiny))).toEqual([['move', 0, 360, 13]]);
  });

  it('counts densities per day and splits episodes at midnight UTC', () => {
    const points = [pt(0, 0, 86_340, 640), pt(0, 0, 86_370, 640), pt(0, 0, 86_400, 640), pt(0, 0, 86_430, 640)];
    expect(brief(detectHilbertDensityStops(points, tiny))).toEqual([
      ['move', 86_340, 86_370, 2],
      ['move', 86_400, 86_430, 2],
    ]);
  });

  it('needs 100 points in a cell and 2 minutes with the default parameters', () => {
    // 1 Hz: 200 points in distinct cells, 150 in cell 640, 99 in cell 5000, 101 in distinct cells.
    const points = [
      ...Array.from({ length: 200 }, (_, k) => pt(k * 5, 0, k, 10_000 + k)),
      ...Array.from({ length: 150 }, (_, k) => pt(1000, 0, 200 + k, 640)),
      ...Array.from({ length: 99 }, (_, k) => pt(1500, 0, 350 + k, 5000)),
      ...Array.from({ length: 101 }, (_, k) => pt(2000 + k * 5, 0, 449 + k, 20_000 + k)),
    ];
    expect(brief(detectHilbertDensityStops(points))).toEqual([
      ['move', 0, 199, 200],
      ['stop', 200, 349, 150],
      ['move', 350, 549, 200],
    ]);
  });

  it('rejects unsorted input and returns nothing for no points', () => {
    expect(() => detectHilbertDensityStops([pt(0, 0, 30), pt(0, 0, 0)])).toThrow(RangeError);
    expect(detectHilbertDensityStops([])).toEqual([]);
  });

  it('makes a move of a single point', () => {
    expect(brief(detectHilbertDensityStops([pt(0, 0, 0, 640)]))).toEqual([['move', 0, 0, 1]]);
  });
});
