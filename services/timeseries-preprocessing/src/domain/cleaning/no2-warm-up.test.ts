import { describe, expect, it } from 'vitest';
import { toColumns } from './columns.js';
import { dropNo2WarmUp } from './no2-warm-up.js';
import { series, T0_MS } from './test-rows.js';

function run(mins: number[], no2: (number | null)[], carry?: { lastTimeMs: number | null; no2ValuesInSession: number }) {
  const columns = toColumns(series('no2', mins, no2));
  const next = dropNo2WarmUp(columns, columns.values.no2.slice(), undefined, carry);
  return { no2: Array.from(columns.values.no2, (x) => (Number.isNaN(x) ? null : x)), flags: columns.flags.no2, next };
}

describe('dropNo2WarmUp', () => {
  it('drops the first 3 NO2 values of the series', () => {
    const { no2, flags } = run([0, 1, 2, 3, 4], [20, 21, 22, 23, 24]);
    expect(no2).toEqual([null, null, null, 23, 24]);
    expect(flags).toEqual(['warmup', 'warmup', 'warmup', null, null]);
  });

  it('starts a new session after a gap of more than 10 minutes, not after exactly 10', () => {
    // Gap 4 → 14 is 10 min (same session); 14 → 25 is 11 min (new session).
    const { no2 } = run([0, 1, 2, 3, 4, 14, 25, 26, 27, 28], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(no2).toEqual([null, null, null, 4, 5, 6, null, null, null, 10]);
  });

  it('counts only rows where NO2 was reported', () => {
    const { no2 } = run([0, 1, 2, 3, 4, 5], [null, 30, null, 31, 32, 33]);
    expect(no2).toEqual([null, null, null, null, null, 33]);
  });

  it('continues a session from the carry of earlier rows', () => {
    const { no2, next } = run([10, 11, 12], [40, 41, 42], { lastTimeMs: T0_MS + 9 * 60_000, no2ValuesInSession: 2 });
    expect(no2).toEqual([null, 41, 42]);
    expect(next).toEqual({ lastTimeMs: T0_MS + 12 * 60_000, no2ValuesInSession: 3 });
  });
});
