import { describe, expect, it } from 'vitest';
import { holdOffset, oldestHeldOffsets, releaseOffsetsBefore, type HeldOffsets } from './held-offsets.js';

describe('held offsets', () => {
  it('keeps a re-sent record only as long as the first one, and releases by time', () => {
    const held: HeldOffsets = new Map();
    // A stop from t=100 re-sent three times, then a segment at t=200, on two partitions.
    for (const [offset, timeMs] of [[10, 100], [11, 100], [12, 100], [13, 200]] as const) holdOffset(held, 'episodes:0', timeMs, offset);
    holdOffset(held, 'segments:1', 150, 7);
    expect(held.get('episodes:0')).toEqual([{ timeMs: 100, offset: 10 }, { timeMs: 200, offset: 13 }]);
    expect(oldestHeldOffsets(held)).toEqual(new Map([['episodes:0', 10], ['segments:1', 7]]));
    releaseOffsetsBefore(held, 101);
    expect(oldestHeldOffsets(held)).toEqual(new Map([['episodes:0', 13], ['segments:1', 7]]));
    releaseOffsetsBefore(held, 201);
    expect(oldestHeldOffsets(held)).toEqual(new Map());
    holdOffset(held, 'segments:1', 300, 8);
    releaseOffsetsBefore(held, null);
    expect(held.size).toBe(0);
  });

  it('gives the smallest offset of the records a plain list would still hold, on random arrivals', () => {
    let s = 7;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    for (let run = 0; run < 200; run++) {
      const held: HeldOffsets = new Map();
      let all: { source: string; timeMs: number; offset: number }[] = [];
      const next = new Map<string, number>();
      let neededMs: number | null = 0;
      for (let step = 0; step < 60; step++) {
        const source = `t:${Math.floor(random() * 3)}`;
        const offset = next.get(source) ?? 0;
        next.set(source, offset + 1);
        // Mostly forward in time, with re-sends and records behind the others.
        const timeMs = Math.floor(step * 10 + (random() - 0.7) * 60);
        holdOffset(held, source, timeMs, offset);
        all.push({ source, timeMs, offset });
        if (random() < 0.3) {
          neededMs = random() < 0.05 ? null : Math.floor(step * 10 - random() * 80);
          releaseOffsetsBefore(held, neededMs);
          const kept = neededMs;
          all = kept === null ? [] : all.filter((r) => r.timeMs >= kept);
        }
        const expected = new Map<string, number>();
        for (const r of all) expected.set(r.source, Math.min(expected.get(r.source) ?? Infinity, r.offset));
        expect(oldestHeldOffsets(held), `run ${run}, step ${step}`).toEqual(expected);
      }
    }
  });
});
