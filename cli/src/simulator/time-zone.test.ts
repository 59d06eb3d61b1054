import { describe, expect, it } from 'vitest';
import { addDays, localTimeToUtcMs, timeZoneOffsetMs } from './time-zone.js';

describe('time zones', () => {
  it('converts Paris local time to UTC in winter and summer', () => {
    expect(new Date(localTimeToUtcMs('Europe/Paris', '2026-01-05', 6 * 60)).toISOString()).toBe('2026-01-05T05:00:00.000Z');
    expect(new Date(localTimeToUtcMs('Europe/Paris', '2026-07-01', 6 * 60)).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(timeZoneOffsetMs('Europe/Paris', Date.UTC(2026, 0, 5))).toBe(3_600_000);
  });

  it('gives the spring-forward day 23 hours and the fall-back day 25', () => {
    const spring = localTimeToUtcMs('Europe/Paris', '2026-03-29', 1440) - localTimeToUtcMs('Europe/Paris', '2026-03-29', 0);
    const autumn = localTimeToUtcMs('Europe/Paris', '2026-10-25', 1440) - localTimeToUtcMs('Europe/Paris', '2026-10-25', 0);
    expect(spring).toBe(23 * 3_600_000);
    expect(autumn).toBe(25 * 3_600_000);
  });

  it('adds days across months with the weekday', () => {
    expect(addDays('2026-01-05', 0)).toEqual({ date: '2026-01-05', weekday: 1 });
    expect(addDays('2026-01-30', 3)).toEqual({ date: '2026-02-02', weekday: 1 });
  });
});
