/**
 * raw.gps → gps.clean: per participant, points wait until the participant's watermark passes
 * them (so they can be put in time order), then go through the speed filter, whose state (the
 * last kept point) carries across windows, and get their grid cell and Hilbert index.
 */
import {
  eventTimeMs,
  eventTimeProblem,
  ParticipantStates,
  TOPICS,
  type InputRecord,
  type OutputRecord,
  type RejectRecord,
  type StreamHandler,
} from '@polluscope/common';
import {
  cleanGpsChunk,
  haversineDistanceM,
  initialCleanGpsState,
  rasterCell,
  validateGpsRecord,
  type CleanGpsState,
  type GpsPoint,
} from './domain/index.js';

interface HeldPoint extends GpsPoint {
  readonly offset: number;
  readonly tabletId: number | null;
}

interface ParticipantGps {
  /** Points not yet past the watermark, unordered. */
  pending: HeldPoint[];
  clean: CleanGpsState;
  /** Offset of the last kept point: after a restart it must be re-read to rebuild `clean`. */
  lastKeptOffset: number | null;
  maxEventMs: number;
}

export interface GpsHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  /** Counts points dropped by the speed filter, by reason. */
  readonly onDropped?: (reason: string, count: number) => void;
}

function rawToPoint(value: Record<string, unknown>): { timeMs: number | null; lat: unknown; lon: unknown } {
  return { timeMs: eventTimeMs(value.time), lat: value.lat, lon: value.lon };
}

/** The reason a raw GPS record goes to the dead-letter topic, or null; `nowMs` is the processing clock. */
export function validateRawGps(value: Record<string, unknown>, nowMs: number): string | null {
  const participant = value.participant_virtual_id;
  if (typeof participant !== 'string' || participant.trim() === '') return 'participant_virtual_id: empty participant id';
  const { timeMs, lat, lon } = rawToPoint(value);
  const problem = validateGpsRecord({
    timeMs,
    lat: typeof lat === 'number' ? lat : lat === null || lat === undefined ? (lat as null | undefined) : Number.NaN,
    lon: typeof lon === 'number' ? lon : lon === null || lon === undefined ? (lon as null | undefined) : Number.NaN,
  });
  return problem ?? (timeMs === null ? null : eventTimeProblem(timeMs, nowMs));
}

/** Why a point behind the participant's last cleaned point is dead-lettered. */
export function lateGpsReason(timeMs: number, lastKeptMs: number): string {
  return (
    `too late: ${new Date(timeMs).toISOString()} is behind the last point already cleaned ` +
    `(${new Date(lastKeptMs).toISOString()}); points are cleaned in time order once past the allowed lateness`
  );
}

export function createGpsHandler(options: GpsHandlerOptions): StreamHandler {
  const states = new ParticipantStates<ParticipantGps>(
    () => ({ pending: [], clean: initialCleanGpsState, lastKeptOffset: null, maxEventMs: Number.NEGATIVE_INFINITY }),
    (state) => {
      let oldest = state.lastKeptOffset;
      for (const p of state.pending) if (oldest === null || p.offset < oldest) oldest = p.offset;
      return oldest;
    },
  );

  const release = (participant: string, state: ParticipantGps, upToMs: number): OutputRecord[] => {
    const ready = state.pending.filter((p) => p.timeMs <= upToMs).sort((a, b) => a.timeMs - b.timeMs || a.offset - b.offset);
    if (ready.length === 0) return [];
    state.pending = state.pending.filter((p) => p.timeMs > upToMs);
    const previous = state.clean.lastKept;
    const result = cleanGpsChunk(state.clean, ready);
    state.clean = result.state;
    const droppedByReason = new Map<string, number>();
    for (const { reason } of result.dropped) droppedByReason.set(reason, (droppedByReason.get(reason) ?? 0) + 1);
    for (const [reason, count] of droppedByReason) options.onDropped?.(reason, count);
    let before: GpsPoint | null = previous;
    const outputs: OutputRecord[] = [];
    for (const point of result.kept) {
      const cell = rasterCell(point.lat, point.lon);
      const speedMps = before === null ? null : haversineDistanceM(before.lat, before.lon, point.lat, point.lon) / ((point.timeMs - before.timeMs) / 1000);
      outputs.push({
        topic: TOPICS.gpsClean,
        key: participant,
        value: {
          participant_virtual_id: participant,
          time: point.timeMs,
          tablet_id: point.tabletId,
          lat: point.lat,
          lon: point.lon,
          col: cell?.col ?? null,
          row: cell?.row ?? null,
          hilbert: cell?.hilbert ?? null,
          speed_mps: speedMps,
        },
      });
      before = point;
    }
    const last = result.kept.at(-1);
    if (last) state.lastKeptOffset = last.offset;
    return outputs;
  };

  return {
    inputs: [TOPICS.rawGps],
    outputs: [TOPICS.gpsClean],
    validate: (_topic, value) => validateRawGps(value as Record<string, unknown>, Date.now()),
    process(records: readonly InputRecord[], nowMs: number, reject: RejectRecord) {
      // One record at a time, released as the watermark passes: whether a fix is late does not
      // depend on which poll (or which replay after a restart) brought it.
      const outputs: OutputRecord[] = [];
      for (const record of records) {
        const raw = record.value as Record<string, unknown>;
        const participant = raw.participant_virtual_id as string;
        const timeMs = eventTimeMs(raw.time) as number;
        const lastKept = states.get(participant)?.state.clean.lastKept;
        if (lastKept && timeMs < lastKept.timeMs) {
          // The speed filter would drop it: points are cleaned in time order and this one's turn is past.
          reject(record, 'late', lateGpsReason(timeMs, lastKept.timeMs));
          continue;
        }
        const entry = states.touch(participant, record.topic, record.partition, nowMs);
        entry.state.pending.push({
          timeMs,
          lat: raw.lat as number,
          lon: raw.lon as number,
          offset: record.offset,
          tabletId: typeof raw.tablet_id === 'number' ? raw.tablet_id : null,
        });
        entry.state.maxEventMs = Math.max(entry.state.maxEventMs, timeMs);
        // The first fix the state holds is kept at once. After a restart that fix is the last one
        // kept before (the oldest offset held), re-read: it seeds the speed filter again, its row
        // already sent, instead of waiting and going out again without its speed.
        const upToMs = entry.state.clean.lastKept === null ? timeMs : entry.state.maxEventMs - options.allowedLatenessMs;
        outputs.push(...release(participant, entry.state, upToMs));
      }
      return outputs;
    },
    flushIdle(nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const entry of states.idle(nowMs, options.idleTimeoutMs)) {
        if (entry.state.pending.length > 0) outputs.push(...release(entry.participant, entry.state, Number.POSITIVE_INFINITY));
      }
      return outputs;
    },
    heldOffsets: () => states.heldOffsets(),
    openParticipants: () => states.openCount(),
    reset: () => states.reset(),
  };
}
