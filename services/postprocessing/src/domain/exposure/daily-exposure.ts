import { CANONICAL_LABELS } from '@polluscope/common/domain';
import {
  INTEGRATED_POLLUTANTS,
  POLLUTANTS,
  UNKNOWN_MICRO_ENVIRONMENT,
  type ActivityTimelineRecord,
  type ExposureDailyRecord,
  type Pollutant,
} from '../records.js';
import { localDay, localDayStartMs } from './local-day.js';

export interface DailyExposureParams {
  /** IANA time zone in which days are counted. */
  readonly timeZone: string;
}

export const defaultDailyExposureParams: DailyExposureParams = Object.freeze({ timeZone: 'Europe/Paris' });

/**
 * The micro-environments every participant-day has a row for: the canonical labels and `unknown`.
 * A complete set, so that a micro-environment that left a day is overwritten (0 minutes) by the
 * sink's upsert on (participant, day, micro_environment) instead of keeping its old row.
 */
export const EXPOSURE_MICRO_ENVIRONMENTS: readonly string[] = Object.freeze([...CANONICAL_LABELS, UNKNOWN_MICRO_ENVIRONMENT]);

const MINUTE_MS = 60_000;

interface EnvironmentSums {
  /** Measured minutes. */
  minutes: number;
  /** Σ segment mean × measured minutes over the entries with a mean, per variable. */
  integrated: Record<Pollutant, number>;
  /** Measured minutes of the entries with a mean, per variable. */
  minutesWithValue: Record<Pollutant, number>;
}

interface DaySums {
  readonly participant: string;
  readonly day: number;
  readonly environments: Map<string, EnvironmentSums>;
}

/** Code-unit order, independent of the host's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sums of a micro-environment not visited that day (read only). */
const NOT_VISITED: EnvironmentSums = emptySums();

function emptySums(): EnvironmentSums {
  const zeros = () => Object.fromEntries(POLLUTANTS.map((p) => [p, 0])) as Record<Pollutant, number>;
  return { minutes: 0, integrated: zeros(), minutesWithValue: zeros() };
}

/** Each variable with the name of its mean, built once rather than per entry. */
const MEAN_FIELDS = POLLUTANTS.map((p) => [p, `${p}_mean`] as const);

function addEntry(sums: EnvironmentSums, entry: ActivityTimelineRecord): void {
  sums.minutes += entry.minutes;
  for (const [p, field] of MEAN_FIELDS) {
    const mean = entry[field];
    if (mean === null || !Number.isFinite(mean)) continue;
    sums.integrated[p] += mean * entry.minutes;
    sums.minutesWithValue[p] += entry.minutes;
  }
}

/** Per participant and local day, per micro-environment: the sums of its entries. */
function sumByDay(entries: readonly ActivityTimelineRecord[], timeZone: string): DaySums[] {
  const days: DaySums[] = [];
  const byParticipant = new Map<string, Map<number, DaySums>>();
  for (const entry of entries) {
    const day = localDay(entry.segment_start, timeZone);
    let participantDays = byParticipant.get(entry.participant_virtual_id);
    if (!participantDays) byParticipant.set(entry.participant_virtual_id, (participantDays = new Map()));
    let sums = participantDays.get(day);
    if (!sums) {
      sums = { participant: entry.participant_virtual_id, day, environments: new Map() };
      participantDays.set(day, sums);
      days.push(sums);
    }
    const environment = entry.final_label ?? UNKNOWN_MICRO_ENVIRONMENT;
    let environmentSums = sums.environments.get(environment);
    if (!environmentSums) {
      environmentSums = emptySums();
      sums.environments.set(environment, environmentSums);
    }
    addEntry(environmentSums, entry);
  }
  return days;
}

/** The rows of one participant-day: one per micro-environment of EXPOSURE_MICRO_ENVIRONMENTS (and any other label seen). */
function dayRows({ participant, day, environments }: DaySums, timeZone: string): ExposureDailyRecord[] {
  let measuredMinutes = 0;
  const totals = Object.fromEntries(INTEGRATED_POLLUTANTS.map((p) => [p, 0])) as Record<Pollutant, number>;
  for (const sums of environments.values()) {
    measuredMinutes += sums.minutes;
    for (const p of INTEGRATED_POLLUTANTS) totals[p] += sums.integrated[p];
  }
  const coverage = {
    day_measured_minutes: measuredMinutes,
    day_labelled_minutes: measuredMinutes - (environments.get(UNKNOWN_MICRO_ENVIRONMENT)?.minutes ?? 0),
    day_length_minutes: (localDayStartMs(day + 1, timeZone) - localDayStartMs(day, timeZone)) / MINUTE_MS,
  };

  const names = new Set([...EXPOSURE_MICRO_ENVIRONMENTS, ...environments.keys()]);
  return [...names].map((environment) => {
    const sums = environments.get(environment) ?? NOT_VISITED;
    const values: Record<string, number | null> = {};
    for (const p of POLLUTANTS) {
      const withValue = sums.minutesWithValue[p];
      values[`${p}_mean`] = withValue > 0 ? sums.integrated[p] / withValue : null;
    }
    for (const p of INTEGRATED_POLLUTANTS) {
      // Not there that day: known to be none. There without a value: unknown (null).
      const known = sums.minutes === 0 || sums.minutesWithValue[p] > 0;
      const integrated = known ? sums.integrated[p] : null;
      values[`${p}_time_integrated_concentration`] = integrated;
      // A day without any value of p (or only zeros) has nothing to share out.
      values[`${p}_share`] = integrated === null || totals[p] === 0 ? null : integrated / totals[p];
    }
    return { participant_virtual_id: participant, day, micro_environment: environment, minutes: sums.minutes, ...values, ...coverage } as ExposureDailyRecord;
  });
}

/**
 * Daily exposure per participant, local day and micro-environment (docs/design.md §5.5) from timeline
 * entries: the one function the stream, the late-review path and `polluscope exposure` call.
 *
 * An entry counts for its measured `minutes` on the local day of its segment_start, in its
 * final_label, or in `unknown` when it has none. Every participant-day present in `entries` gets
 * a complete set of rows, one per {@link EXPOSURE_MICRO_ENVIRONMENTS}: a micro-environment not
 * visited has 0 minutes, null means, a time-integrated concentration of 0 and a share of 0, so a
 * recomputed day overwrites every row it had before. Per pollutant (PM1, PM2.5, PM10, NO2, BC):
 * `time_integrated_concentration` = Σ segment mean × measured minutes (unit × min; null when the
 * environment was visited but the pollutant never measured there; not an inhaled dose), `mean` =
 * that / the minutes with a value (time-weighted), `share` = that / the day's total over every
 * micro-environment and `unknown` (so a day's shares sum to 1; null when the day's total is 0 or
 * the environment's value unknown). Temperature and humidity get time-weighted means only. Each
 * row carries the day's coverage: measured minutes, labelled minutes and the day's length.
 * Sorted by participant, day, micro-environment.
 *
 * @example computeDailyExposure(entries, { timeZone: 'Europe/Paris' }).find((r) => r.micro_environment === 'Bus')?.bc_share // 0.5
 */
export function computeDailyExposure(
  entries: readonly ActivityTimelineRecord[],
  params: DailyExposureParams = defaultDailyExposureParams,
): ExposureDailyRecord[] {
  const rows = sumByDay(entries, params.timeZone).flatMap((day) => dayRows(day, params.timeZone));
  return rows.sort((a, b) => compareText(a.participant_virtual_id, b.participant_virtual_id) || a.day - b.day || compareText(a.micro_environment, b.micro_environment));
}
