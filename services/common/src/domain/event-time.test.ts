import { describe, expect, it } from 'vitest';
import { eventTimeProblem } from './event-time.js';

const now = Date.UTC(2026, 10, 23, 12);
const MINUTE = 60_000;

describe('eventTimeProblem', () => {
  it('accepts times from 2010 up to 10 minutes ahead of the processing clock', () => {
    expect(eventTimeProblem(Date.UTC(2010, 0, 1), now)).toBeNull();
    expect(eventTimeProblem(Date.UTC(2019, 2, 4, 9), now)).toBeNull();
    expect(eventTimeProblem(now + 10 * MINUTE, now)).toBeNull();
  });

  it('rejects 1970 (an unset clock), naming the time', () => {
    expect(eventTimeProblem(0, now)).toBe('time: before 2010-01-01: 1970-01-01T00:00:00.000Z');
  });

  it('rejects a time from the future with the reason `future`', () => {
    expect(eventTimeProblem(now + 20 * 60 * MINUTE, now)).toBe(
      'future: time 2026-11-24T08:00:00.000Z is 1200 min ahead of the processing clock (2026-11-23T12:00:00.000Z), more than the 10 min allowed',
    );
    expect(eventTimeProblem(now + 10 * MINUTE + 1, now)).toMatch(/^future: /);
  });

  it('takes another tolerance', () => {
    expect(eventTimeProblem(now + 20 * MINUTE, now, 30 * MINUTE)).toBeNull();
    expect(eventTimeProblem(now + 31 * MINUTE, now, 30 * MINUTE)).toMatch(/^future: /);
  });
});
