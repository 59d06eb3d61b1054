/**
 * Local wall-clock time ↔ UTC in an IANA time zone, through Intl (deterministic, no clock):
 * routines are planned in the participant's local time, records are written in UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of local time from UTC at an instant, in ms (Paris in winter: +3 600 000). */
export function timeZoneOffsetMs(timeZone: string, timeMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(timeMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return asUtc - Math.floor(timeMs / 1000) * 1000;
}

/**
 * UTC epoch ms of a local wall-clock time; `minuteOfDay` may exceed 1440 (rolls into the next
 * day). A time skipped by a DST jump maps to the instant one offset later.
 *
 * @example localTimeToUtcMs('Europe/Paris', '2026-01-05', 360) // 2026-01-05T05:00:00.000Z
 */
export function localTimeToUtcMs(timeZone: string, localDate: string, minuteOfDay: number): number {
  const [y, m, d] = localDate.split('-').map(Number);
  const naive = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + minuteOfDay * 60_000;
  const first = naive - timeZoneOffsetMs(timeZone, naive);
  const second = naive - timeZoneOffsetMs(timeZone, first);
  return second;
}

/** The local calendar date `days` after `localDate` (YYYY-MM-DD), and its weekday (0 = Sunday). */
export function addDays(localDate: string, days: number): { date: string; weekday: number } {
  const [y, m, d] = localDate.split('-').map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return { date: t.toISOString().slice(0, 10), weekday: t.getUTCDay() };
}
