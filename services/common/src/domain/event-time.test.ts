import { describe, expect, it } from 'vitest';
import { eventTimeProblem } from './event-time.js';

const now = Date.UTC(2026, 10, 23, 12);

describe('eventTimeProblem', () => {
  it('accepts times from 2010 up to a day ahead of the processing clock', () => {
    expect(eventTimeProblem(Date.UTC(2010, 0, 1), now)).toBeNull();
    expect(eventTimeProblem(Date.UTC(2019, 2, 4, 9), now)).toBeNull();
    expect(eventTimeProblem(now + 24 * 3_600_000, now)).toBeNull();
  });

  it('rejects 1970 (an unset clock) and 2100, naming the time', () => {
    expect(eventTimeProblem(0, now)).toBe('time before 2010-01-01: 1970-01-01T00:00:00.000Z');
    expect(eventTimeProblem(Date.UTC(2100, 0, 1), now)).toBe('time more than a day ahead of the processing clock: 2100-01-01T00:00:00.000Z');
    expect(eventTimeProblem(now + 24 * 3_600_000 + 1, now)).not.toBeNull();
  });
});
