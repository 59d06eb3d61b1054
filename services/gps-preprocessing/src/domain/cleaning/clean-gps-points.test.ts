import { describe, expect, it } from 'vitest';
import { cleanGpsChunk, cleanGpsPoints, initialCleanGpsState, type CleanGpsState } from './clean-gps-points.js';
import type { GpsPoint } from './gps-point.js';

// 1e-4° of latitude is 11.1195 m (R = 6371 km): 10 s later that is 4.0 km/h.
const LAT0 = 48.8;
const LON0 = 2.3;
const pt = (northUnits: number, tS: number): GpsPoint => ({ timeMs: tS * 1000, lat: LAT0 + northUnits * 1e-4, lon: LON0 });

describe('cleanGpsPoints', () => {
  it('returns nothing for no points', () => {
    const r = cleanGpsPoints([]);
    expect(r.kept).toEqual([]);
    expect(r.state).toEqual({ lastKept: null });
  });

  it('orders by time', () => {
    const a = pt(0, 0);
    const b = pt(1, 10);
    const c = pt(2, 20);
    expect(cleanGpsPoints([c, a, b]).kept).toEqual([a, b, c]);
  });

  it('drops an exact duplicate and a different point at the same time', () => {
    const a = pt(0, 0);
    const r = cleanGpsPoints([a, { ...a }, pt(1, 0), pt(1, 10)]);
    expect(r.kept.map((p) => p.timeMs)).toEqual([0, 10_000]);
    expect(r.dropped.map((d) => d.reason)).toEqual(['duplicate', 'same-time']);
  });

  it('drops a point faster than 130 km/h from the previous kept point, then compares with the kept one', () => {
    // 360 units = 4003 m in 60 s = 240 km/h: dropped. The next point is compared with (0, 0 s).
    const r = cleanGpsPoints([pt(0, 0), pt(360, 60), pt(1, 120)]);
    expect(r.kept.map((p) => p.timeMs / 1000)).toEqual([0, 120]);
    expect(r.dropped).toEqual([{ point: pt(360, 60), reason: 'too-fast' }]);
  });

  it('keeps 129 km/h and drops 131 km/h', () => {
    // 100 s: 129 km/h = 3583.3 m = 322.25 units, 131 km/h = 3638.9 m = 327.25 units.
    expect(cleanGpsPoints([pt(0, 0), pt(322.25, 100)]).kept).toHaveLength(2);
    expect(cleanGpsPoints([pt(0, 0), pt(327.25, 100)]).kept).toHaveLength(1);
  });

  it('drops a point older than the last kept point of an earlier chunk as late', () => {
    const first = cleanGpsChunk(initialCleanGpsState, [pt(0, 100)]);
    const second = cleanGpsChunk(first.state, [pt(0, 50), pt(1, 110)]);
    expect(second.dropped.map((d) => d.reason)).toEqual(['late']);
    expect(second.kept.map((p) => p.timeMs)).toEqual([110_000]);
  });
});

describe('cleanGpsChunk across windows', () => {
  // A time-ordered stream with duplicates, same-time fixes and a burst of fast outliers.
  const stream: GpsPoint[] = [];
  for (let i = 0; i < 1000; i++) {
    const tS = i * 2;
    const north = i % 97 === 13 ? 5000 : i % 3; // every 97th point jumps 55 km away
    stream.push(pt(north, tS));
    if (i % 50 === 7) stream.push(pt(north, tS)); // exact duplicate
    if (i % 71 === 3) stream.push(pt(north + 1, tS)); // same time, other place
  }

  function inChunks(chunks: number): { kept: GpsPoint[]; reasons: string[]; state: CleanGpsState } {
    const size = Math.ceil(stream.length / chunks);
    let state: CleanGpsState = initialCleanGpsState;
    const kept: GpsPoint[] = [];
    const reasons: string[] = [];
    for (let i = 0; i < stream.length; i += size) {
      const r = cleanGpsChunk(state, stream.slice(i, i + size));
      kept.push(...r.kept);
      reasons.push(...r.dropped.map((d) => `${d.point.timeMs}:${d.reason}`));
      state = JSON.parse(JSON.stringify(r.state)) as CleanGpsState; // state survives serialisation
    }
    return { kept, reasons, state };
  }

  it('gives the same output in 1, 7 or 500 chunks', () => {
    const one = inChunks(1);
    expect(one.kept).toHaveLength(1000 - 11);
    // i = 207 is both a jump and duplicated: its copy is too fast as well, not a duplicate.
    expect(one.reasons.filter((r) => r.endsWith('too-fast'))).toHaveLength(12);
    expect(one.reasons.filter((r) => r.endsWith('duplicate'))).toHaveLength(19);
    expect(one.reasons.filter((r) => r.endsWith('same-time'))).toHaveLength(15);
    expect(inChunks(7)).toEqual(one);
    expect(inChunks(500)).toEqual(one);
  });
});
