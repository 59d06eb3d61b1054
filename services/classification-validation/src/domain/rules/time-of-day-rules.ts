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
}

/** DESIGN.md §5.2, Europe/Paris. */
export const defaultTimeOfDayRulesParams: TimeOfDayRulesParams = Object.freeze({
  timeZone: 'Europe/Paris',
  night: Object.freeze({ enabled: true, fromMinute: 60, toMinute: 300 }),
  officeHours: Object.freeze({ enabled: true, fromMinute: 510, toMinute: 1050 }),
  outsideOffice: Object.freeze({ enabled: true, beforeMinute: 480, fromMinute: 1050, weekend: true }),
});

export type TimeOfDayRule = 'night' | 'office-hours' | 'outside-office';

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * Weekday and minute of day of an instant in a time zone (Intl, so DST follows the tz database).
 *
 * @example localTime(Date.UTC(2024, 2, 31, 1, 30), 'Europe/Paris') // { weekday: 0, minuteOfDay: 210 } (03:30 CEST)
 */
export function localTime(timeMs: number, timeZone: string): LocalTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(timeMs)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minuteOfDay: hour * 60 + minute };
}

/**
 * Applies the time-of-day rules to a label at an instant (the segment start), in order: night,
 * then office hours, then outside office. Returns the label and the rule that changed it.
 *
 * @example applyTimeOfDayRules('Domicile', Date.UTC(2024, 2, 5, 9, 0)) // { label: 'Bureau', rule: 'office-hours' } (Tue 10:00 Paris)
 */
export function applyTimeOfDayRules(
  label: CanonicalLabel,
  timeMs: number,
  params: TimeOfDayRulesParams = defaultTimeOfDayRulesParams,
): { label: CanonicalLabel; rule: TimeOfDayRule | null } {
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
