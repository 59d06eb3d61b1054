import { POLLUTANTS, type ActivityTimelineRecord, type ExposureDailyRecord, type Pollutant } from '../records.js';
import { localDay } from './local-day.js';

export interface DailyExposureParams {
  /** IANA time zone in which days are counted. */
  readonly timeZone: string;
}

export const defaultDailyExposureParams: DailyExposureParams = Object.freeze({ timeZone: 'Europe/Paris' });

interface Sums {
  minutes: number;
  /** Σ mean × minutes over entries with a value, per pollutant. */
  dose: Record<Pollutant, number | null>;
  /** Minutes of entries with a value, per pollutant. */
  measuredMinutes: Record<Pollutant, number>;
}

/** Code-unit order, independent of the host's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptySums(): Sums {
  const dose = {} as Record<Pollutant, number | null>;
  const measuredMinutes = {} as Record<Pollutant, number>;
  for (const p of POLLUTANTS) {
    dose[p] = null;
    measuredMinutes[p] = 0;
  }
  return { minutes: 0, dose, measuredMinutes };
}

/**
 * Daily exposure per participant, local day and micro-environment (DESIGN.md §5.5) from timeline
 * entries. An entry counts for its duration, (segment_end − segment_start) in minutes, on the local
 * day of its segment_start; entries without a final label are left out (no micro-environment).
 * Per pollutant: `dose` = Σ mean × minutes over the entries with a mean (unit × min; null when
 * none), `mean` = dose / those entries' minutes (the time-weighted mean), `share` = dose / the
 * day's total dose over all micro-environments (null when the environment has no dose or the
 * day's total is 0), so a day's shares sum to 1. Sorted by participant, day, micro-environment.
 *
 * @example computeDailyExposure(entries, { timeZone: 'Europe/Paris' })[0].bc_share // 0.25
 */
export function computeDailyExposure(
  entries: readonly ActivityTimelineRecord[],
  params: DailyExposureParams = defaultDailyExposureParams,
): ExposureDailyRecord[] {
  const groups = new Map<string, { participant: string; day: number; environment: string; sums: Sums }>();
  for (const entry of entries) {
    if (entry.final_label === null) continue;
    const day = localDay(entry.segment_start, params.timeZone);
    const key = JSON.stringify([entry.participant_virtual_id, day, entry.final_label]);
    let group = groups.get(key);
    if (!group) {
      group = { participant: entry.participant_virtual_id, day, environment: entry.final_label, sums: emptySums() };
      groups.set(key, group);
    }
    const minutes = (entry.segment_end - entry.segment_start) / 60_000;
    group.sums.minutes += minutes;
    for (const p of POLLUTANTS) {
      const mean = entry[`${p}_mean`];
      if (mean === null || !Number.isFinite(mean)) continue;
      group.sums.dose[p] = (group.sums.dose[p] ?? 0) + mean * minutes;
      group.sums.measuredMinutes[p] += minutes;
    }
  }

  const dayTotals = new Map<string, Record<Pollutant, number>>();
  for (const { participant, day, sums } of groups.values()) {
    const key = JSON.stringify([participant, day]);
    const totals = dayTotals.get(key) ?? (Object.fromEntries(POLLUTANTS.map((p) => [p, 0])) as Record<Pollutant, number>);
    for (const p of POLLUTANTS) totals[p] += sums.dose[p] ?? 0;
    dayTotals.set(key, totals);
  }

  const rows: ExposureDailyRecord[] = [];
  for (const { participant, day, environment, sums } of groups.values()) {
    const totals = dayTotals.get(JSON.stringify([participant, day]));
    const values: Record<string, number | null> = {};
    for (const p of POLLUTANTS) {
      const dose = sums.dose[p];
      const total = totals?.[p] ?? 0;
      values[`${p}_mean`] = dose === null ? null : dose / sums.measuredMinutes[p];
      values[`${p}_dose`] = dose;
      values[`${p}_share`] = dose === null || total === 0 ? null : dose / total;
    }
    rows.push({ participant_virtual_id: participant, day, micro_environment: environment, minutes: sums.minutes, ...values } as ExposureDailyRecord);
  }
  return rows.sort((a, b) => compareText(a.participant_virtual_id, b.participant_virtual_id) || a.day - b.day || compareText(a.micro_environment, b.micro_environment));
}
