/**
 * gps.clean → gps.episodes: per participant, the stay-point detector confirms a stop as soon as
 * its duration is reached and re-emits it (same start, an upsert) while it grows; moves get a
 * transport mode from the random-forest model once they end.
 */
import {
  DEFAULT_PARTICIPANT_RETENTION_MS,
  fields,
  keyedStage,
  parseFields,
  TOPICS,
  type KeyedStage,
  type OutputRecord,
  type ParticipantValue,
  type Parsed,
} from '@polluscope/common';
import {
  initialStayPointState,
  predictTransportMode,
  stepStayPoints,
  transportFeatures,
  type Episode,
  type StayPointParams,
  type StayPointState,
  type TrackPoint,
  type TransportModel,
  defaultStayPointParams,
} from './domain/index.js';

interface HeldPoint extends TrackPoint {
  readonly offset: number;
}

interface ParticipantEpisodes {
  detector: StayPointState;
  /** Points from the earliest one the detector still needs, in time order. */
  points: HeldPoint[];
  /**
   * The point a restart re-reads from to rebuild `detector` exactly (the detector's
   * replayFromMs): its offset is held for the commit rule even once the point left `points`.
   */
  replayFrom: { readonly timeMs: number; readonly offset: number } | null;
  maxEventMs: number;
}

export interface StopMoveHandlerOptions {
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  readonly stayPoint?: StayPointParams;
  /**
   * Processing time a silent participant's state is kept, ms; default
   * {@link minParticipantRetentionMs} of the stay-point parameters (13 h with the defaults).
   */
  readonly retentionMs?: number;
  /** The transport model in use (it may be reloaded), or null when none is loaded. */
  readonly transportModel: () => TransportModel | null;
  readonly onRejected?: (count: number) => void;
  /** Least processing time between two changelog snapshots of a participant, ms; default the runtime's. */
  readonly changelogIntervalMs?: number;
}

/** Whether a changelog snapshot has the shape of this version's state (a stopped one). */
function isParticipantEpisodes(json: unknown): json is ParticipantEpisodes {
  const s = json as Partial<ParticipantEpisodes> | null;
  return (
    typeof s === 'object' && s !== null && Array.isArray(s.points) && typeof s.maxEventMs === 'number' &&
    typeof s.detector === 'object' && s.detector !== null && s.detector.mode === 'stopped' && s.detector.stop !== null &&
    (s.replayFrom === null || (typeof s.replayFrom === 'object' && typeof s.replayFrom?.offset === 'number'))
  );
}


/** A gps.clean record as the detector reads it. */
interface GpsCleanValue extends ParticipantValue {
  readonly point: TrackPoint;
}

/** Parses a gps.clean record, or says which field is wrong. */
export function parseGpsClean(value: Readonly<Record<string, unknown>>): Parsed<GpsCleanValue> {
  return parseFields(() => {
    const participant = fields.id(value, 'participant_virtual_id');
    const timeMs = fields.timeMs(value, 'time');
    const lat = fields.numberIn(value, 'lat', -90, 90);
    const lon = fields.numberIn(value, 'lon', -180, 180);
    return { participant_virtual_id: participant, point: { timeMs, lat, lon, hilbert: fields.optionalNumber(value, 'hilbert') } };
  });
}

/** The reason a gps.clean record is invalid, or null. */
export function validateGpsClean(value: Readonly<Record<string, unknown>>): string | null {
  const result = parseGpsClean(value);
  return result.ok ? null : result.reason;
}

export function toEpisodeRecord(
  participant: string,
  episode: Episode,
  transport: { mode: string; probability: number } | null,
): Record<string, unknown> {
  const stop = episode.type === 'stop' ? episode : null;
  const move = episode.type === 'move' ? episode : null;
  return {
    participant_virtual_id: participant,
    episode_start: episode.startMs,
    episode_end: episode.endMs,
    episode_type: episode.type,
    detector: 'stay-point',
    point_count: episode.pointCount,
    duration_s: episode.durationS,
    centroid_lat: stop?.centroidLat ?? null,
    centroid_lon: stop?.centroidLon ?? null,
    radius_m: stop?.radiusM ?? null,
    hilbert: stop?.hilbert ?? null,
    distance_m: move?.distanceM ?? null,
    speed_mean_mps: move?.meanSpeedMps ?? null,
    speed_p50_mps: move?.p50SpeedMps ?? null,
    speed_p95_mps: move?.p95SpeedMps ?? null,
    speed_max_mps: move?.maxSpeedMps ?? null,
    transport_mode: transport?.mode ?? null,
    transport_probability: transport?.probability ?? null,
    gap: episode.gap,
    leg_index: move?.leg ?? null,
  };
}

/**
 * The least retention that keeps results equal to the batch ones: a participant silent through a
 * gap spent in one place (up to maxStopGapS, a night at home) or inside a move (up to
 * maxMoveGapS) must find its open stop or move again, so the longer of the two plus 1 h of
 * margin for lateness and idle flushes, ms; never below the runtime's default (2 h).
 */
export function minParticipantRetentionMs(maxStopGapS: number, maxMoveGapS: number): number {
  return Math.max(DEFAULT_PARTICIPANT_RETENTION_MS, Math.max(maxStopGapS, maxMoveGapS) * 1000 + 3_600_000);
}

export function createStopMoveHandler(options: StopMoveHandlerOptions): KeyedStage<ParticipantEpisodes> {
  const params = options.stayPoint ?? defaultStayPointParams;

  const step = (participant: string, state: ParticipantEpisodes, chunk: HeldPoint[], watermarkMs: number): OutputRecord[] => {
    const result = stepStayPoints(state.detector, chunk, watermarkMs, params);
    state.detector = result.state;
    const rejected = new Set(result.rejected);
    if (rejected.size > 0) options.onRejected?.(rejected.size);
    for (const point of chunk) if (!rejected.has(point)) state.points.push(point);
    const fromMs = result.replayFromMs;
    if (fromMs === null) state.replayFrom = null;
    else if (state.replayFrom?.timeMs !== fromMs) {
      // A new fresh point is one the detector still held before this step, or one of this chunk.
      const point = state.points.find((p) => p.timeMs === fromMs);
      if (point) state.replayFrom = { timeMs: fromMs, offset: point.offset };
    }
    const outputs: OutputRecord[] = [];
    for (const change of result.changes) {
      let transport: { mode: string; probability: number } | null = null;
      const model = options.transportModel();
      if (change.episode.type === 'move' && change.final && model !== null) {
        const points = state.points.filter((p) => p.timeMs >= change.episode.startMs && p.timeMs <= change.episode.endMs);
        if (points.length >= 2) {
          const prediction = predictTransportMode(model, transportFeatures(points));
          transport = { mode: prediction.mode, probability: prediction.probability };
        }
      }
      outputs.push({ topic: TOPICS.gpsEpisodes, key: participant, value: toEpisodeRecord(participant, change.episode, transport) });
    }
    const needed = result.earliestNeededMs;
    state.points = needed === null ? [] : state.points.filter((p) => p.timeMs >= needed);
    return outputs;
  };

  return keyedStage<ParticipantEpisodes, GpsCleanValue>({
    service: 'stop-move-detection',
    parse: (_topic, value) => parseGpsClean(value),
    idleTimeoutMs: options.idleTimeoutMs,
    retentionMs: options.retentionMs ?? minParticipantRetentionMs(params.maxStopGapS, params.maxMoveGapS),
    createState: () => ({ detector: initialStayPointState(), points: [], replayFrom: null, maxEventMs: Number.NEGATIVE_INFINITY }),
    oldestHeldOffset: (state) => {
      const first = state.points[0]?.offset ?? null;
      const from = state.replayFrom?.offset ?? null;
      return first === null ? from : from === null ? first : Math.min(first, from);
    },
    // Points in arrival order: one out of order is rejected whether or not it shares a poll with
    // the points it is behind, so the result does not depend on batching (nor on a replay's).
    onRecords(participant, state, records) {
      const chunk: HeldPoint[] = [];
      for (const { value, offset } of records) {
        state.maxEventMs = Math.max(state.maxEventMs, value.point.timeMs);
        chunk.push({ ...value.point, offset });
      }
      return step(participant, state, chunk, state.maxEventMs - options.allowedLatenessMs);
    },
    onIdle: (participant, state) =>
      state.detector.processed < state.detector.points.length ? step(participant, state, [], state.maxEventMs) : [],
    // While stopped the state is bounded (the stop's summary, its pending suspects, the fixes within
    // the lateness): written to the changelog, it lets the held offset leave the move before the stop.
    // A move's state holds its fixes (for the transport features): it stays rebuilt from offsets.
    changelog: {
      snapshot: (state) => (state.detector.mode === 'stopped' ? state : null),
      restore: (json) => (isParticipantEpisodes(json) ? json : null),
      ...(options.changelogIntervalMs === undefined ? {} : { intervalMs: options.changelogIntervalMs }),
    },
  });
}
