import { describe, expect, it } from 'vitest';
import { defaultRasterGridParams } from '@polluscope/gps-preprocessing/domain';
import { gridLines, mapFrame, mercatorX, mercatorY, WORLD_PX } from './map-frame.js';
import { formatDuration } from './map-chart.js';

describe('mercatorX and mercatorY', () => {
  it('map the world onto 0..256, Greenwich and the equator in the middle, north up (small y)', () => {
    expect([mercatorX(-180), mercatorX(0), mercatorX(180)]).toEqual([0, WORLD_PX / 2, WORLD_PX]);
    expect(mercatorY(0)).toBeCloseTo(WORLD_PX / 2, 9);
    expect(mercatorY(48.85)).toBeLessThan(mercatorY(48.8));
  });
});

describe('mapFrame', () => {
  const paris = [
    { lat: 48.85, lon: 2.3 },
    { lat: 48.86, lon: 2.4 },
  ];

  it('holds every point with a margin, one scale on both axes', () => {
    const frame = mapFrame(paris, 1000);
    for (const p of paris) {
      expect(mercatorX(p.lon)).toBeGreaterThan(frame.xDomain[0]);
      expect(mercatorX(p.lon)).toBeLessThan(frame.xDomain[1]);
      expect(mercatorY(p.lat)).toBeGreaterThan(frame.yDomain[0]);
      expect(mercatorY(p.lat)).toBeLessThan(frame.yDomain[1]);
    }
    const pxPerUnitX = 1000 / (frame.xDomain[1] - frame.xDomain[0]);
    const pxPerUnitY = frame.plotHeight / (frame.yDomain[1] - frame.yDomain[0]);
    expect(pxPerUnitY / pxPerUnitX).toBeCloseTo(1, 2);
  });

  it('keeps a wide east-west trip at the lowest aspect and a single point at a minimal extent', () => {
    expect(mapFrame(paris, 1000).plotHeight).toBe(450);
    const single = mapFrame([{ lat: 48.85, lon: 2.3 }], 1000);
    expect(single.xDomain[1] - single.xDomain[0]).toBeGreaterThan(mercatorX(0.003) - mercatorX(0));
  });

  it('has a default frame over Paris without points', () => {
    const frame = mapFrame([], 800);
    expect(frame.xDomain[0]).toBeLessThan(mercatorX(2.35));
    expect(frame.xDomain[1]).toBeGreaterThan(mercatorX(2.35));
  });
});

describe('gridLines', () => {
  it('draws the study grid cell boundaries in the frame, thinned to at most maxLines each way', () => {
    const frame = mapFrame([{ lat: 48.85, lon: 2.3 }, { lat: 48.86, lon: 2.4 }], 1000);
    const lines = gridLines(defaultRasterGridParams, frame, 14);
    expect(lines.xs.length).toBeGreaterThan(2);
    expect(lines.xs.length).toBeLessThanOrEqual(15);
    expect(lines.ys.length).toBeLessThanOrEqual(15);
    expect([1, 2, 5, 10, 20, 50]).toContain(lines.everyCells);
    // Each drawn line sits on a cell boundary of the grid.
    const cellLon = (defaultRasterGridParams.lonMax - defaultRasterGridParams.lonMin) / defaultRasterGridParams.cells;
    const lon = (lines.xs[0]! / WORLD_PX) * 360 - 180;
    const cells = (lon - defaultRasterGridParams.lonMin) / cellLon;
    expect(Math.abs(cells - Math.round(cells))).toBeLessThan(1e-6);
    expect(Math.round(cells) % lines.everyCells).toBe(0);
  });

  it('draws nothing outside the study area', () => {
    const lines = gridLines(defaultRasterGridParams, mapFrame([{ lat: 45.76, lon: 4.84 }], 800));
    expect([lines.xs, lines.ys]).toEqual([[], []]);
  });
});

describe('formatDuration', () => {
  it('writes minutes under an hour, hours and minutes above', () => {
    expect([formatDuration(240), formatDuration(3540), formatDuration(3599), formatDuration(30_600)]).toEqual(['4 min', '59 min', '1 h 00', '8 h 30']);
  });
});
