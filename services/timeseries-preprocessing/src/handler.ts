/**
 * raw.sensor → sensor.clean: per participant, rows are cleaned by the streaming cleaner once the
 * participant's watermark (newest event time − allowed lateness) has passed their context.
 */
import {
  eventTimeProblem,
  invalid,
  keyedStage,
  parsed,
  TOPICS,
  type KeyedStage,
  type OutputRecord,
  type ParticipantValue,
  type Parsed,
} from '@polluscope/common';
import {
  createCleanerState,
  flushRows,
  parseSensorRecord,
  pushRows,
  retainedRows,
  SENSOR_VARIABLES,
  tooLateForCleaner,
  type CleanSensorRow,
  type SensorRow,
  type StreamingCleanerState,
} from './domain/index.js';

/** A row as the cleaner holds it, with what the output needs and the commit rule tracks. */
interface HeldRow extends SensorRow {
  readonly offset: number;
  readonly kitId: number | null;
}

interface ParticipantCleaning {
  cleaner: StreamingCleanerState<HeldRow>;
  maxEventMs: number;
  /** Kit of each held minute: the cleaner's output rows carry only the time. */
  kits: Map<number, number | null>;
}

export interface TimeseriesHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  /** How far ahead of the processing clock an event time may be before it is dead-lettered as `future`, ms. */
  readonly maxFutureMs?: number;
  /** Processing time a silent participant's state is kept, ms (default: the runtime's 2 h, beyond the cleaner's 36 min of context). */
  readonly retentionMs?: number;
  /** The processing clock; tests set it. */
  readonly clock?: () => number;
}


/** Built once: a key made per row and variable costs more than the cleaning of the row. */
const IMPUTED_KEYS = SENSOR_VARIABLES.map((variable) => `imputed_${variable}` as const);

export function toSensorCleanRecord(participant: string, row: CleanSensorRow, kitId: number | null): Record<string, unknown> {
  const value: Record<string, unknown> = { participant_virtual_id: participant, time: row.timeMs, kit_id: kitId };
  for (let i = 0; i < SENSOR_VARIABLES.length; i++) {
    const variable = SENSOR_VARIABLES[i]!;
    const imputed = IMPUTED_KEYS[i]!;
    value[variable] = row[variable];
    value[imputed] = row[imputed];
  }
  value.quality_flags = row.qualityFlags === '' ? null : row.qualityFlags;
  value.activity = row.activity;
  value.event = row.event;
  return value;
}

/** A raw.sensor record, parsed: the row the cleaner reads and the kit that measured it. */
interface RawSensorValue extends ParticipantValue {
  readonly row: SensorRow;
  readonly kitId: number | null;
}

/** Parses a raw.sensor record (change-data-capture of sensor_measurements), with time sanity. */
export function parseRawSensor(value: Readonly<Record<string, unknown>>, nowMs: number, maxFutureMs?: number): Parsed<RawSensorValue> {
  const result = parseSensorRecord(value);
  if ('reason' in result) return invalid(`${result.field}: ${result.reason}`);
  const problem = eventTimeProblem(result.row.timeMs, nowMs, maxFutureMs);
  if (problem !== null) return invalid(problem);
  return parsed({ participant_virtual_id: result.participantId, row: result.row, kitId: typeof value.kit_id === 'number' ? value.kit_id : null });
}

export function createTimeseriesHandler(options: TimeseriesHandlerOptions): KeyedStage<ParticipantCleaning> {
  const emit = (participant: string, state: ParticipantCleaning, rows: readonly CleanSensorRow[]): OutputRecord[] => {
    const outputs = rows.map((row) => ({
      topic: TOPICS.sensorClean,
      key: participant,
      value: toSensorCleanRecord(participant, row, state.kits.get(row.timeMs) ?? null),
    }));
    // Kits of minutes the cleaner no longer retains are not needed again.
    const retained = new Set(retainedRows(state.cleaner).map((r) => r.timeMs));
    for (const time of state.kits.keys()) if (!retained.has(time)) state.kits.delete(time);
    return outputs;
  };

  return keyedStage<ParticipantCleaning, RawSensorValue>({
    service: 'timeseries-preprocessing',
    parse: (_topic, value, nowMs) => parseRawSensor(value, nowMs, options.maxFutureMs),
    idleTimeoutMs: options.idleTimeoutMs,
    retentionMs: options.retentionMs,
    clock: options.clock,
    createState: () => ({ cleaner: createCleanerState<HeldRow>(), maxEventMs: Number.NEGATIVE_INFINITY, kits: new Map() }),
    oldestHeldOffset: (state) => {
      let oldest: number | null = null;
      for (const row of retainedRows(state.cleaner)) if (oldest === null || row.offset < oldest) oldest = row.offset;
      return oldest;
    },
    onRecords(participant, state, records, reject) {
      const accepted: HeldRow[] = [];
      for (const record of records) {
        const { row, kitId } = record.value;
        const tooLate = tooLateForCleaner(state.cleaner, row.timeMs);
        if (tooLate !== null) {
          reject(record, 'late', tooLate);
          continue;
        }
        // The parsed row is this record's own: extended in place, far cheaper than a spread copy.
        accepted.push(Object.assign(row, { offset: record.offset, kitId }));
        state.maxEventMs = Math.max(state.maxEventMs, row.timeMs);
        state.kits.set(row.timeMs, kitId);
      }
      return emit(participant, state, pushRows(state.cleaner, accepted, state.maxEventMs - options.allowedLatenessMs));
    },
    onIdle: (participant, state) => emit(participant, state, flushRows(state.cleaner)),
  });
}
