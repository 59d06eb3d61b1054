import type { ParticipantDay } from '../day/types.js';

const HOUR_MS = 3_600_000;

/** Hours-of-the-day ticks and labels in the study's time zone, shared by every time chart. */
export function dayAxis(day: Pick<ParticipantDay, 'dayStartMs' | 'dayEndMs' | 'timeZone'>, everyHours = 3) {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: day.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const ticks: Date[] = [];
  for (let t = day.dayStartMs; t <= day.dayEndMs; t += everyHours * HOUR_MS) ticks.push(new Date(t));
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
