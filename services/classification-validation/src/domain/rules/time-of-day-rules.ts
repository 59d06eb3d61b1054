import type { CanonicalLabel } from '@polluscope/common/domain';

/** Minutes after local midnight: 08:30 → 510. */
type LocalMinute = number;

export interface TimeOfDayRulesParams {
  /** IANA time zone of the participant. */
  readonly timeZone: string;
  /** Night: any label in [from, to) becomes Domicile. */
  readonly night: { readonly enabled: boolean; readonly fromMinute: LocalMinute; readonly toMinute: LocalMinute };
  /** Weekday office hours: Domicile in [from, to) on Monday–Friday becomes Bureau. */
  readonly officeHours: { readonly enabled: boolean; readonly fromMinute: LocalMinute; readonly toMinute: LocalMinute };
  /** Outside office: Bureau before `beforeMinute`, from `fromMinute` on, or at the weekend becomes Domicile. */
  readonly outsideOffice: { readonly enabled: boolean; readonly beforeMinute: LocalMinute; readonly fromMinute: LocalMinute; readonly weekend: boolean };
  /**
   * The rules change only a label the model gave with a confidence below this; `null` applies
   * them to every label, as the original did. The default, 0.6, is the review threshold: a rule
   * corrects a segment the model is unsure of, not one its sensors clearly place (someone working
   * from home on a weekday).
   */
  readonly belowConfidence: number | null;
}

/** docs/design.md §5.2, Europe/Paris. */
export const defaultTimeOfDayRulesParams: TimeOfDayRulesParams = Object.freeze({
  timeZone: 'Europe/Paris',
  night: Object.freeze({ enabled: true, fromMinute: 60, toMinute: 300 }),
  officeHours: Object.freeze({ enabled: true, fromMinute: 510, toMinute: 1050 }),
  outsideOffice: Object.freeze({ enabled: true, beforeMinute: 480, fromMinute: 1050, weekend: true }),
  belowConfidence: 0.6,
});

/**
 * Reads a `belowConfidence` setting written as text (an environment variable, a CLI option): a
 * number in [0, 1], or `always` for null (the rules change every label).
 *
 * @example parseBelowConfidence('always') // { ok: true, value: null }
 */
export function parseBelowConfidence(text: string): { readonly ok: true; readonly value: number | null } | { readonly ok: false; readonly reason: string } {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'always') return { ok: true, value: null };
  const value = Number(trimmed);
  if (trimmed === '' || !(value >= 0 && value <= 1)) return { ok: false, reason: `expected a number in 0..1 or "always", got "${text}"` };
  return { ok: true, value };
}

export type TimeOfDayRule = 'night' | 'office-hours' | 'outside-office';

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** UTC offset (ms) per time zone and 6-hour bucket, when constant over the bucket. */
const offsets = new Map<string, number>();
const BUCKET_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Weekday and minute of day of an instant in a time zone. The UTC offset comes from Intl (so DST
 * follows the tz database) and is cached per 6-hour bucket when it is the same at both ends of
 * the bucket; the weekday and minute then follow by arithmetic.
 *
 * @example localTime(Date.UTC(2024, 2, 31, 1, 30), 'Europe/Paris') // { weekday: 0, minuteOfDay: 210 } (03:30 CEST)
 */
export function localTime(timeMs: number, timeZone: string): LocalTime {
  const bucket = Math.floor(timeMs / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  let offsetMs = offsets.get(key);
  if (offsetMs === undefined) {
    const atStart = utcOffsetMs(bucket * BUCKET_MS, timeZone);
    if (atStart === utcOffsetMs((bucket + 1) * BUCKET_MS - 1, timeZone)) {
      if (offsets.size >= 100_000) offsets.clear();
      offsets.set(key, atStart);
      offsetMs = atStart;
    } else {
      offsetMs = utcOffsetMs(timeMs, timeZone);
    }
  }
  const wallMs = timeMs + offsetMs;
  const day = Math.floor(wallMs / DAY_MS);
  // 1970-01-01 was a Thursday (4).
  return { weekday: (((day + 4) % 7) + 7) % 7, minuteOfDay: Math.floor((wallMs - day * DAY_MS) / 60_000) };
}

/** Local wall-clock time minus UTC at an instant, ms. */
function utcOffsetMs(timeMs: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const part: Record<string, number> = {};
  for (const p of formatter.formatToParts(timeMs)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const wallMs = Date.UTC(part['year']!, part['month']! - 1, part['day']!, part['hour']!, part['minute']!, part['second']!);
  return wallMs - (timeMs - (((timeMs % 1000) + 1000) % 1000));
}

/**
 * Applies the time-of-day rules to a label at an instant (the segment start), in order: night,
 * then office hours, then outside office, unless the model's `confidence` in the label reaches
 * `params.belowConfidence`. Returns the label and the rule that changed it.
 *
 * @example applyTimeOfDayRules('Domicile', Date.UTC(2024, 2, 5, 9, 0), defaultTimeOfDayRulesParams, 0.4) // { label: 'Bureau', rule: 'office-hours' } (Tue 10:00 Paris)
 */
export function applyTimeOfDayRules(
  label: CanonicalLabel,
  timeMs: number,
  params: TimeOfDayRulesParams,
  confidence: number,
): { label: CanonicalLabel; rule: TimeOfDayRule | null } {
  if (params.belowConfidence !== null && confidence >= params.belowConfidence) return { label, rule: null };
  const { weekday, minuteOfDay } = localTime(timeMs, params.timeZone);
  const weekend = weekday === 0 || weekday === 6;
  const { night, officeHours, outsideOffice } = params;
  if (night.enabled && minuteOfDay >= night.fromMinute && minuteOfDay < night.toMinute) {
    return label === 'Domicile' ? { label, rule: null } : { label: 'Domicile', rule: 'night' };
  }
  if (officeHours.enabled && label === 'Domicile' && !weekend && minuteOfDay >= officeHours.fromMinute && minuteOfDay < officeHours.toMinute) {
    return { label: 'Bureau', rule: 'office-hours' };
  }
  if (
    outsideOffice.enabled &&
    label === 'Bureau' &&
    ((outsideOffice.weekend && weekend) || minuteOfDay < outsideOffice.beforeMinute || minuteOfDay >= outsideOffice.fromMinute)
  ) {
    return { label: 'Domicile', rule: 'outside-office' };
  }
  return { label, rule: null };
}
