import { eventTimeProblem } from '@polluscope/common/domain';
import { SENSOR_VARIABLES, type SensorRow } from '../sensor-row.js';

/** Why a record cannot be cleaned; the service sends it to the dead-letter topic with this reason. */
export interface SensorRecordProblem {
  readonly field: string;
  readonly reason: string;
}

/** A valid record: the participant and the row the cleaner takes. */
export interface ParsedSensorRecord {
  readonly participantId: string;
  readonly row: SensorRow;
}

/**
 * Checks a decoded `raw.sensor` record (fields named as in the raw table): a non-empty
 * `participant_virtual_id`, a `time` that is epoch ms, a Date or an ISO-8601 text, and
 * measurements that are null/absent or finite numbers.
 *
 * @example parseSensorRecord({ participant_virtual_id: 'p1', time: 0, no2: 'x' }) // { field: 'no2', reason: 'non-numeric measurement: "x"' }
 */
export function parseSensorRecord(record: Readonly<Record<string, unknown>>): ParsedSensorRecord | SensorRecordProblem {
  const participant = record['participant_virtual_id'];
  if (typeof participant !== 'string' || participant.trim() === '') {
    return { field: 'participant_virtual_id', reason: 'empty participant id' };
  }
  const timeMs = toTimeMs(record['time']);
  if (timeMs === null) return { field: 'time', reason: `unparseable time: ${show(record['time'])}` };
  const values: Partial<Record<(typeof SENSOR_VARIABLES)[number], number | null>> = {};
  for (const v of SENSOR_VARIABLES) {
    const x = record[v];
    if (x === null || x === undefined) values[v] = null;
    else if (typeof x === 'number' && Number.isFinite(x)) values[v] = x;
    else return { field: v, reason: `non-numeric measurement: ${show(x)}` };
  }
  return {
    participantId: participant,
    row: {
      timeMs,
      pm1: values.pm1 ?? null,
      pm25: values.pm25 ?? null,
      pm10: values.pm10 ?? null,
      no2: values.no2 ?? null,
      bc: values.bc ?? null,
      temperature: values.temperature ?? null,
      humidity: values.humidity ?? null,
      activity: textOrNull(record['activity']),
      event: textOrNull(record['event']),
    },
  };
}

/**
 * The reason a record is bad, or `null` when it is valid; with `nowMs` (the processing clock),
 * times before 2010 or more than `maxAheadMs` ahead ({@link eventTimeProblem}) are bad too.
 *
 * @example validateSensorRecord({ participant_virtual_id: '', time: 0 }) // 'participant_virtual_id: empty participant id'
 */
export function validateSensorRecord(record: Readonly<Record<string, unknown>>, nowMs?: number, maxAheadMs?: number): string | null {
  const parsed = parseSensorRecord(record);
  if ('reason' in parsed) return `${parsed.field}: ${parsed.reason}`;
  return nowMs === undefined ? null : eventTimeProblem(parsed.row.timeMs, nowMs, maxAheadMs);
}

function toTimeMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value.trim())) {
    const text = value.trim().replace(' ', 'T');
    // A time without an offset is UTC (docs/design.md §8).
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
