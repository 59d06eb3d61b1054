import type { ParticipantDay } from '../day/types.js';

const HOUR_MS = 3_600_000;

/**
 * Hours-of-the-day ticks and labels in the study's time zone, shared by every time chart: every
 * 3 hours over a day, every quarter of an hour over a review's hour or so of context.
 */
export function dayAxis(day: Pick<ParticipantDay, 'dayStartMs' | 'dayEndMs' | 'timeZone'>, everyHours = (day.dayEndMs - day.dayStartMs) / HOUR_MS > 6 ? 3 : 0.25) {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: day.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const ticks: Date[] = [];
  const stepMs = everyHours * HOUR_MS;
  // Sub-hour ticks on the clock's quarters (whatever the zone's whole or half-hour offset); hours from the day's start.
  const firstMs = everyHours < 1 ? Math.ceil(day.dayStartMs / stepMs) * stepMs : day.dayStartMs;
  for (let t = firstMs; t <= day.dayEndMs; t += stepMs) ticks.push(new Date(t));
  return {
    type: 'utc' as const,
    domain: [new Date(day.dayStartMs), new Date(day.dayEndMs)],
    ticks,
    tickFormat: (d: Date) => clock.format(d),
    label: null,
  };
}

/** Local clock time of an instant, HH:MM. */
export function clockTime(timeMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(timeMs);
}

/** The margins every time chart uses, so the bands and the series line up. */
export const TIME_CHART_MARGINS = Object.freeze({ marginLeft: 78, marginRight: 16 });
