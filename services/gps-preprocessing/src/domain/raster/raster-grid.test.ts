import { describe, expect, it } from 'vitest';
import { defaultRasterGridParams, rasterColumn, rasterRow } from './raster-grid.js';

const g = defaultRasterGridParams;

describe('rasterColumn / rasterRow', () => {
  it('puts the grid corner in column 0 and row 0 (inside, unlike the original)', () => {
    expect(rasterColumn(g.lonMin)).toBe(0);
    expect(rasterRow(g.latMin)).toBe(0);
  });

  it('puts the far edge outside and the last cell inside', () => {
    expect(rasterColumn(g.lonMax)).toBe(-1);
    expect(rasterRow(g.latMax)).toBe(-1);
    expect(rasterColumn(g.lonMax - 1e-9)).toBe(3599);
    expect(rasterRow(g.latMax - 1e-9)).toBe(3599);
  });

  it('is outside west/south of the box and for NaN', () => {
    expect(rasterColumn(g.lonMin - 1e-9)).toBe(-1);
    expect(rasterRow(g.latMin - 1e-9)).toBe(-1);
    expect(rasterColumn(Number.NaN)).toBe(-1);
    expect(rasterRow(Number.NaN)).toBe(-1);
  });
});
