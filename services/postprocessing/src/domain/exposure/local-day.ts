const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of an instant in a time zone, read as if it were UTC, epoch ms. */
function wallClockAsUtcMs(timeMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(timeMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((timeMs % 1000) + 1000) % 1000);
}

/**
 * The local calendar day of an instant in an IANA time zone, as days since 1970-01-01 (the Avro
 * `date` value); Intl, so daylight-saving time follows the tz database.
 *
 * @example localDay(Date.UTC(2024, 2, 4, 23, 30), 'Europe/Paris') // 19787 (2024-03-05, 00:30 local)
 */
export function localDay(timeMs: number, timeZone: string): number {
  return Math.floor((timeMs + utcOffsetMs(timeMs, timeZone)) / DAY_MS);
}

/** UTC offsets are multiples of 15 minutes and change at such instants: one lookup per 15-minute bucket. */
const BUCKET_MS = 900_000;
const offsets = new Map<string, Map<number, number>>();

/** The time zone's UTC offset at an instant, ms (memoised per 15-minute bucket). */
function utcOffsetMs(timeMs: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone || zone.size > 100_000) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const bucketMs = Math.floor(timeMs / BUCKET_MS) * BUCKET_MS;
  let offsetMs = zone.get(bucketMs);
  if (offsetMs === undefined) {
    offsetMs = wallClockAsUtcMs(bucketMs, timeZone) - bucketMs;
    zone.set(bucketMs, offsetMs);
  }
  return offsetMs;
}

/**
 * The first instant of a local day (days since 1970-01-01) in a time zone, epoch ms: local
 * midnight, or the first existing local time when a transition skips midnight.
 *
 * @example localDayStartMs(19787, 'Europe/Paris') // Date.UTC(2024, 2, 4, 23, 0)
 */
export function localDayStartMs(day: number, timeZone: string): number {
  let zone = dayStarts.get(timeZone);
  if (!zone || zone.size > 100_000) {
    zone = new Map();
    dayStarts.set(timeZone, zone);
  }
  let startMs = zone.get(day);
  if (startMs === undefined) {
    startMs = findLocalDayStartMs(day, timeZone);
    zone.set(day, startMs);
  }
  return startMs;
}

/** Memo of localDayStartMs per time zone: the streaming update asks for the same few days again and again. */
const dayStarts = new Map<string, Map<number, number>>();

function findLocalDayStartMs(day: number, timeZone: string): number {
  const midnightAsUtcMs = day * DAY_MS;
  // Offset at a first guess, then at the corrected instant (handles a DST change within the day).
  let guessMs = midnightAsUtcMs - (wallClockAsUtcMs(midnightAsUtcMs, timeZone) - midnightAsUtcMs);
  guessMs = midnightAsUtcMs - (wallClockAsUtcMs(guessMs, timeZone) - guessMs);
  if (localDay(guessMs, timeZone) === day && localDay(guessMs - 1, timeZone) < day) return guessMs;
  // Midnight skipped by a transition: the first instant of the day, by bisection (offsets lie within ±15 h).
  let beforeMs = midnightAsUtcMs - 15 * 3_600_000;
  let atOrAfterMs = midnightAsUtcMs + 15 * 3_600_000;
  while (atOrAfterMs - beforeMs > 1) {
    const middleMs = Math.floor((beforeMs + atOrAfterMs) / 2);
    if (localDay(middleMs, timeZone) >= day) atOrAfterMs = middleMs;
    else beforeMs = middleMs;
  }
  return atOrAfterMs;
}
