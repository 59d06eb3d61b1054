/** A raw GPS record as decoded from a topic or a CSV row, before any check. */
export interface RawGpsRecord {
  readonly timeMs: number | null | undefined;
  readonly lat: number | null | undefined;
  readonly lon: number | null | undefined;
}

/** Why a record is unusable; the service sends such records to its dead-letter topic. */
export type GpsRecordProblem =
  | 'time missing or unparseable'
  | 'lat missing'
  | 'lon missing'
  | 'lat not a number'
  | 'lon not a number'
  | 'lat outside [-90, 90]'
  | 'lon outside [-180, 180]';

/**
 * Checks a raw record; returns the first problem found, or `null` when the record is usable.
 * The time must already be parsed to epoch milliseconds (a parser returning null or NaN means
 * unparseable).
 *
 * @example validateGpsRecord({ timeMs: 0, lat: 91, lon: 2 }) // 'lat outside [-90, 90]'
 */
export function validateGpsRecord(record: RawGpsRecord): GpsRecordProblem | null {
  const { timeMs, lat, lon } = record;
  if (timeMs === null || timeMs === undefined || !Number.isFinite(timeMs)) return 'time missing or unparseable';
  if (lat === null || lat === undefined) return 'lat missing';
  if (lon === null || lon === undefined) return 'lon missing';
  if (!Number.isFinite(lat)) return 'lat not a number';
  if (!Number.isFinite(lon)) return 'lon not a number';
  if (lat < -90 || lat > 90) return 'lat outside [-90, 90]';
  if (lon < -180 || lon > 180) return 'lon outside [-180, 180]';
  return null;
}
