import { describe, expect, it } from 'vitest';
import { defaultStayPointParams, resolveStayPointParams } from './stay-point-params.js';

describe('resolveStayPointParams', () => {
  it('derives the jitter and excursion limits from the diameter unless set', () => {
    const r = resolveStayPointParams({ ...defaultStayPointParams, maxDiameterM: 3 });
    expect([r.maxJitterM, r.maxExcursionM]).toEqual([3, 6]);
    const d = resolveStayPointParams(defaultStayPointParams);
    expect([d.maxJitterM, d.maxExcursionM]).toEqual([100, 200]);
    const set = resolveStayPointParams({ ...defaultStayPointParams, maxDiameterM: 3, maxJitterM: 10, maxExcursionM: 25 });
    expect([set.maxJitterM, set.maxExcursionM]).toEqual([10, 25]);
  });

  it('rejects a maxStopGapS or maxMoveGapS below maxGapS', () => {
    expect(() => resolveStayPointParams({ ...defaultStayPointParams, maxStopGapS: 299 })).toThrow(/maxStopGapS \(299 s\) must be at least maxGapS \(300 s\)/);
    expect(() => resolveStayPointParams({ ...defaultStayPointParams, maxMoveGapS: 299 })).toThrow(RangeError);
  });
});
