import { describe, expect, it } from 'vitest';
import { minute, T0_MS } from '../test-fixtures.js';
import { isSegmentReady, segmentRows } from './segment-rows.js';

describe('segmentRows', () => {
  it('aligns segments on 5-minute boundaries of event time', () => {
    const rows = [minute(7), minute(3), minute(4.5), minute(5), minute(21)];
    const segments = segmentRows(rows);
    expect(segments.map((s) => [(s.startMs - T0_MS) / 60_000, (s.endMs - T0_MS) / 60_000, s.rows.length])).toEqual([
      [0, 5, 2],
      [5, 10, 2],
      [20, 25, 1],
    ]);
    expect(segments[0]!.rows.map((r) => (r.timeMs - T0_MS) / 60_000)).toEqual([3, 4.5]);
  });

  it('is ready once the watermark reaches the end', () => {
    expect(isSegmentReady(T0_MS, T0_MS + 299_999)).toBe(false);
    expect(isSegmentReady(T0_MS, T0_MS + 300_000)).toBe(true);
  });
});
