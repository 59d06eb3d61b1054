/**
 * raw.gps → gps.clean and gps.dropped: per participant, points wait until the participant's
 * watermark passes them (so they can be put in time order), then go through the speed filter, whose
 * state (the last kept point) carries across windows; kept points get their grid cell and Hilbert
 * index (gps.clean), dropped ones their reason (gps.dropped). Records the stage cannot use
 * (malformed, future, late) go to the dead-letter topic instead.
 */
import {
  eventTimeMs,
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
  cleanGpsChunk,
  initialCleanGpsState,
  rasterCell,
  stepSpeedMps,
  validateGpsRecord,
  type CleanGpsState,
  type GpsDropReason,
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
  /**
   * Fixes already cleaned (kept or dropped) in the last {@link REPEAT_MEMORY_MS} before the last
   * kept one, by time: an exact repeat of one of them (the source sending it again after a
   * Connect restart, an UPDATE that changes nothing) is ignored, as the CLI drops duplicates.
   * Not rebuilt after a restart of this service: a repeat older than the last kept fix then goes
   * to the dead-letter topic as late.
   */
  cleaned: Map<number, { readonly lat: number; readonly lon: number }>;
}

/** How far behind the last kept fix exact repeats are recognised, ms. */
export const REPEAT_MEMORY_MS = 30 * 60_000;

export interface GpsHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  /** How far ahead of the processing clock a fix may be before it is dead-lettered as `future`, ms. */
  readonly maxFutureMs?: number;
  /** Processing time a silent participant's state is kept, ms (default: the runtime's 2 h). */
  readonly retentionMs?: number;
  /** The processing clock; tests set it. */
  readonly clock?: () => number;
  /** Counts points dropped by the speed filter, by reason. */
  readonly onDropped?: (reason: string, count: number) => void;
}


/** A raw.gps record, parsed. */
interface RawGpsValue extends ParticipantValue {
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly tabletId: number | null;
}

const numberOrNaN = (v: unknown): number | null | undefined => (typeof v === 'number' ? v : v === null || v === undefined ? v : Number.NaN);

/** Parses a raw.gps record (change-data-capture of gps_positions), with time sanity. */
export function parseRawGps(value: Readonly<Record<string, unknown>>, nowMs: number, maxFutureMs?: number): Parsed<RawGpsValue> {
  const participant = value.participant_virtual_id;
  if (typeof participant !== 'string' || participant.trim() === '') return invalid('participant_virtual_id: empty participant id');
  const timeMs = eventTimeMs(value.time);
  const lat = numberOrNaN(value.lat);
  const lon = numberOrNaN(value.lon);
  const problem = validateGpsRecord({ timeMs, lat, lon });
  if (problem !== null) return invalid(problem);
  // validateGpsRecord accepted them: a finite time and coordinates in range.
  const point = { timeMs: timeMs!, lat: lat!, lon: lon! };
  const timeProblem = eventTimeProblem(point.timeMs, nowMs, maxFutureMs);
  if (timeProblem !== null) return invalid(timeProblem);
  return parsed({ participant_virtual_id: participant, ...point, tabletId: typeof value.tablet_id === 'number' ? value.tablet_id : null });
}

/** The reason a raw GPS record goes to the dead-letter topic, or null; `nowMs` is the processing clock. */
export function validateRawGps(value: Readonly<Record<string, unknown>>, nowMs: number, maxFutureMs?: number): string | null {
  const result = parseRawGps(value, nowMs, maxFutureMs);
  return result.ok ? null : result.reason;
}

/** A gps.dropped record: a fix the speed filter dropped and why (schemas/gps.dropped.avsc). */
export function toGpsDroppedRecord(
  participant: string,
  point: GpsPoint & { readonly tabletId: number | null },
  reason: GpsDropReason,
): Record<string, unknown> {
  return { participant_virtual_id: participant, time: point.timeMs, tablet_id: point.tabletId, lat: point.lat, lon: point.lon, reason };
}

/** Why a point behind the participant's last cleaned point is dead-lettered. */
export function lateGpsReason(timeMs: number, lastKeptMs: number): string {
  return (
    `too late: ${new Date(timeMs).toISOString()} is behind the last point already cleaned ` +
    `(${new Date(lastKeptMs).toISOString()}); points are cleaned in time order once past the allowed lateness`
  );
}

export function createGpsHandler(options: GpsHandlerOptions): KeyedStage<ParticipantGps> {
  const release = (participant: string, state: ParticipantGps, upToMs: number): OutputRecord[] => {
    const ready = state.pending.filter((p) => p.timeMs <= upToMs).sort((a, b) => a.timeMs - b.timeMs || a.offset - b.offset);
    if (ready.length === 0) return [];
    state.pending = state.pending.filter((p) => p.timeMs > upToMs);
    const previous = state.clean.lastKept;
    const result = cleanGpsChunk(state.clean, ready);
    state.clean = result.state;
    for (const point of ready) state.cleaned.set(point.timeMs, { lat: point.lat, lon: point.lon });
    const forgetBeforeMs = (state.clean.lastKept?.timeMs ?? Number.NEGATIVE_INFINITY) - REPEAT_MEMORY_MS;
    // Fixes are cleaned in time order, so the map's insertion order is time order.
    for (const time of state.cleaned.keys()) {
      if (time >= forgetBeforeMs) break;
      state.cleaned.delete(time);
    }
    const droppedByReason = new Map<string, number>();
    for (const { reason } of result.dropped) droppedByReason.set(reason, (droppedByReason.get(reason) ?? 0) + 1);
    for (const [reason, count] of droppedByReason) options.onDropped?.(reason, count);
    let before: GpsPoint | null = previous;
    const outputs: OutputRecord[] = [];
    for (const point of result.kept) {
      const cell = rasterCell(point.lat, point.lon);
      const speedMps = before === null ? null : stepSpeedMps(before, point);
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
    // Every fix the filter drops, in time order: the same fixes whatever the polls, so a
    // recomputation sends the same keys and times again and the warehouse upserts them in place.
    for (const { point, reason } of result.dropped) {
      outputs.push({ topic: TOPICS.gpsDropped, key: participant, value: toGpsDroppedRecord(participant, point, reason) });
    }
    const last = result.kept.at(-1);
    if (last) state.lastKeptOffset = last.offset;
    return outputs;
  };

  return keyedStage<ParticipantGps, RawGpsValue>({
    service: 'gps-preprocessing',
    parse: (_topic, value, nowMs) => parseRawGps(value, nowMs, options.maxFutureMs),
    idleTimeoutMs: options.idleTimeoutMs,
    retentionMs: options.retentionMs,
    clock: options.clock,
    createState: () => ({ pending: [], clean: initialCleanGpsState, lastKeptOffset: null, maxEventMs: Number.NEGATIVE_INFINITY, cleaned: new Map() }),
    oldestHeldOffset: (state) => {
      let oldest = state.lastKeptOffset;
      for (const p of state.pending) if (oldest === null || p.offset < oldest) oldest = p.offset;
      return oldest;
    },
    // One record at a time, released as the watermark passes: whether a fix is late does not
    // depend on which poll (or which replay after a restart) brought it.
    onRecords(participant, state, records, reject) {
      const outputs: OutputRecord[] = [];
      for (const record of records) {
        const { timeMs, lat, lon, tabletId } = record.value;
        const lastKept = state.clean.lastKept;
        if (lastKept && timeMs < lastKept.timeMs) {
          const before = state.cleaned.get(timeMs);
          if (before?.lat === lat && before.lon === lon) {
            // Counted, not sent to gps.dropped: the fix was kept or dropped (and sent) the first time.
            options.onDropped?.('repeat', 1);
            continue;
          }
          // The speed filter would drop it: points are cleaned in time order and this one's turn is past.
          reject(record, 'late', lateGpsReason(timeMs, lastKept.timeMs));
          continue;
        }
        state.pending.push({ timeMs, lat, lon, offset: record.offset, tabletId });
        state.maxEventMs = Math.max(state.maxEventMs, timeMs);
        // The first fix the state holds is kept at once. After a restart that fix is the last one
        // kept before (the oldest offset held), re-read: it seeds the speed filter again, its row
        // already sent, instead of waiting and going out again without its speed.
        const upToMs = state.clean.lastKept === null ? timeMs : state.maxEventMs - options.allowedLatenessMs;
        for (const output of release(participant, state, upToMs)) outputs.push(output);
      }
      return outputs;
    },
    onIdle: (participant, state) => (state.pending.length > 0 ? release(participant, state, Number.POSITIVE_INFINITY) : []),
  });
}
