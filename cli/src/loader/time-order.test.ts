import { describe, expect, it } from 'vitest';
import { describeStepBack, ParticipantTimeOrder, timeOrderPermutation } from './time-order.js';

/** Feeds [participant, seconds, line] rows. */
function orderOf(rows: readonly [string, number, number][]): ParticipantTimeOrder {
  const order = new ParticipantTimeOrder();
  for (const [participant, s, line] of rows) order.add(participant, s * 1000, line);
  return order;
}

describe('ParticipantTimeOrder', () => {
  it('finds nothing in an empty file or a single row', () => {
    expect(orderOf([]).inOrder).toBe(true);
    expect(orderOf([['p', 5, 2]]).firstStepBack).toBeNull();
  });

  it('takes equal times and interleaved participants each in order as in order', () => {
    const order = orderOf([['p', 10, 2], ['q', 1, 3], ['p', 10, 4], ['q', 2, 5], ['p', 11, 6]]);
    expect(order.inOrder).toBe(true);
    expect(order.stepsBack).toBe(0);
  });

  it('counts each row older than its participant previous row, and keeps the first', () => {
    const order = orderOf([['p', 10, 2], ['p', 20, 3], ['q', 0, 4], ['p', 15, 5], ['p', 16, 6], ['p', 14, 7], ['p', 21, 8], ['q', -1, 9]]);
    expect(order.stepsBack).toBe(3);
    expect(order.firstStepBack).toEqual({ participant: 'p', line: 5, timeMs: 15_000, afterMs: 20_000 });
  });

  it('describes a step back in one line', () => {
    expect(describeStepBack({ participant: 'p', line: 5, timeMs: Date.UTC(2019, 0, 1), afterMs: Date.UTC(2019, 0, 1, 0, 10) })).toBe(
      'line 5: participant p at 2019-01-01T00:00:00Z after 2019-01-01T00:10:00Z',
    );
  });
});

describe('timeOrderPermutation', () => {
  it('is empty for no rows and the identity for sorted rows', () => {
    expect([...timeOrderPermutation(new Int32Array(0), new Float64Array(0))]).toEqual([]);
    expect([...timeOrderPermutation(Int32Array.of(0, 0, 1, 1), Float64Array.of(1, 2, 0, 3))]).toEqual([0, 1, 2, 3]);
  });

  it('groups by participant, sorts by time, keeps file order among equal times', () => {
    // participant 0 at 5, 1 at 9, 0 at 3, 0 at 5 (a duplicate, after the first), 1 at 2
    expect([...timeOrderPermutation(Int32Array.of(0, 1, 0, 0, 1), Float64Array.of(5, 9, 3, 5, 2))]).toEqual([2, 0, 3, 4, 1]);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => timeOrderPermutation(Int32Array.of(0), new Float64Array(0))).toThrow('1 participants for 0 times');
  });
});
