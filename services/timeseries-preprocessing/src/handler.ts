/**
 * raw.sensor → sensor.clean: per participant, rows are cleaned by the streaming cleaner once the
 * participant's watermark (newest event time − allowed lateness) has passed their context.
 */
import {
  ParticipantStates,
  TOPICS,
  type InputRecord,
  type OutputRecord,
  type RejectRecord,
  type StreamHandler,
} from '@polluscope/common';
import {
  createCleanerState,
  flushRows,
  parseSensorRecord,
  pushRows,
  retainedRows,
  SENSOR_VARIABLES,
  tooLateForCleaner,
  validateSensorRecord,
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
  /** Processing time a silent participant's state is kept, ms (default 2 h: beyond the cleaner's 36 min of context). */
  readonly retentionMs?: number;
  /** The processing clock; tests set it. */
  readonly clock?: () => number;
}

/** Default processing time a silent participant's cleaner state is kept, ms. */
export const SENSOR_STATE_RETENTION_MS = 2 * 3_600_000;

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

export function createTimeseriesHandler(options: TimeseriesHandlerOptions): StreamHandler {
  const states = new ParticipantStates<ParticipantCleaning>(
    () => ({ cleaner: createCleanerState<HeldRow>(), maxEventMs: Number.NEGATIVE_INFINITY, kits: new Map() }),
    (state) => {
      let oldest: number | null = null;
      for (const row of retainedRows(state.cleaner)) if (oldest === null || row.offset < oldest) oldest = row.offset;
      return oldest;
    },
    options.retentionMs ?? SENSOR_STATE_RETENTION_MS,
  );
  const clock = options.clock ?? Date.now;

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

  return {
    inputs: [TOPICS.rawSensor],
    outputs: [TOPICS.sensorClean],
    validate: (_topic, value) => validateSensorRecord(value as Record<string, unknown>, clock(), options.maxFutureMs),
    process(records: readonly InputRecord[], nowMs: number, reject: RejectRecord) {
      const byParticipant = new Map<string, HeldRow[]>();
      const recordOf = new Map<HeldRow, InputRecord>();
      for (const record of records) {
        const raw = record.value as Record<string, unknown>;
        const parsed = parseSensorRecord(raw);
        if ('reason' in parsed) continue; // validate() already sent it to the dead-letter topic
        const kit = typeof raw.kit_id === 'number' ? raw.kit_id : null;
        let rows = byParticipant.get(parsed.participantId);
        if (rows === undefined) {
          rows = [];
          byParticipant.set(parsed.participantId, rows);
        }
        // The parsed row is this record's own: extended in place, far cheaper than a spread copy.
        const held: HeldRow = Object.assign(parsed.row, { offset: record.offset, kitId: kit });
        rows.push(held);
        recordOf.set(held, record);
        states.touch(parsed.participantId, record.topic, record.partition, nowMs);
      }
      const outputs: OutputRecord[] = [];
      for (const [participant, rows] of byParticipant) {
        const entry = states.get(participant);
        if (!entry) continue;
        const state = entry.state;
        const accepted: HeldRow[] = [];
        for (const row of rows) {
          const tooLate = tooLateForCleaner(state.cleaner, row.timeMs);
          if (tooLate !== null) {
            reject(recordOf.get(row)!, 'late', tooLate);
            continue;
          }
          accepted.push(row);
          state.maxEventMs = Math.max(state.maxEventMs, row.timeMs);
          state.kits.set(row.timeMs, row.kitId);
        }
        const cleaned = pushRows(state.cleaner, accepted, state.maxEventMs - options.allowedLatenessMs);
        for (const output of emit(participant, state, cleaned)) outputs.push(output);
      }
      return outputs;
    },
    flushIdle(nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const entry of states.idle(nowMs, options.idleTimeoutMs)) {
        const flushed = flushRows(entry.state.cleaner);
        if (flushed.length > 0) outputs.push(...emit(entry.participant, entry.state, flushed));
      }
      return outputs;
    },
    heldOffsets: () => states.heldOffsets(),
    openParticipants: () => states.openCount(),
    reset: () => states.reset(),
  };
}
