import { describe, expect, it } from 'vitest';
import { localDay, localDayStartMs } from './local-day.js';

describe('localDay', () => {
  it('counts days since 1970-01-01 in the local calendar', () => {
    expect(localDay(0, 'UTC')).toBe(0);
    expect(localDay(Date.UTC(2024, 2, 5, 12, 0), 'UTC')).toBe(19787);
  });

  it('moves the day boundary with the time zone and daylight-saving time', () => {
    // Winter, UTC+1: 22:59 UTC is 23:59 on the 4th, 23:00 UTC is midnight on the 5th.
    expect(localDay(Date.UTC(2024, 2, 4, 22, 59), 'Europe/Paris')).toBe(19786);
    expect(localDay(Date.UTC(2024, 2, 4, 23, 0), 'Europe/Paris')).toBe(19787);
    // Summer, UTC+2: 21:59 UTC is 23:59 on 1 July, 22:00 UTC is midnight on 2 July.
    expect(localDay(Date.UTC(2024, 6, 1, 21, 59), 'Europe/Paris')).toBe(19905);
    expect(localDay(Date.UTC(2024, 6, 1, 22, 0), 'Europe/Paris')).toBe(19906);
  });
});

describe('localDayStartMs', () => {
  it('finds local midnight, across the spring daylight-saving change', () => {
    expect(localDayStartMs(19787, 'Europe/Paris')).toBe(Date.UTC(2024, 2, 4, 23, 0));
    // 2024-03-31 (clocks go forward at 02:00) starts at UTC+1, 2024-04-01 at UTC+2.
    expect(localDayStartMs(19813, 'Europe/Paris')).toBe(Date.UTC(2024, 2, 30, 23, 0));
    expect(localDayStartMs(19814, 'Europe/Paris')).toBe(Date.UTC(2024, 2, 31, 22, 0));
    expect(localDayStartMs(19787, 'UTC')).toBe(Date.UTC(2024, 2, 5));
  });

  it('gives the first existing instant when a transition skips midnight', () => {
    // São Paulo, 2018-11-04: 00:00 (UTC−3) jumped to 01:00 (UTC−2), i.e. 03:00 UTC.
    expect(localDayStartMs(17839, 'America/Sao_Paulo')).toBe(Date.UTC(2018, 10, 4, 3, 0));
  });
});
