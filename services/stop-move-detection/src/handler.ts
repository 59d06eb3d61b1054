/**
 * gps.clean → gps.episodes: per participant, the stay-point detector confirms a stop as soon as
 * its duration is reached and re-emits it (same start, an upsert) while it grows; moves get a
 * transport mode from the random-forest model once they end.
 */
import {
  eventTimeMs,
  ParticipantStates,
  TOPICS,
  type InputRecord,
  type OutputRecord,
  type StreamHandler,
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
  /** The transport model in use (it may be reloaded), or null when none is loaded. */
  readonly transportModel: () => TransportModel | null;
  readonly onRejected?: (count: number) => void;
}

export function validateGpsClean(value: Record<string, unknown>): string | null {
  if (typeof value.participant_virtual_id !== 'string' || value.participant_virtual_id === '') return 'participant_virtual_id: empty participant id';
  if (eventTimeMs(value.time) === null) return 'time: missing or unparseable';
  if (typeof value.lat !== 'number' || !Number.isFinite(value.lat) || Math.abs(value.lat) > 90) return 'lat: outside [-90, 90]';
  if (typeof value.lon !== 'number' || !Number.isFinite(value.lon) || Math.abs(value.lon) > 180) return 'lon: outside [-180, 180]';
  return null;
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
  };
}

export function createStopMoveHandler(options: StopMoveHandlerOptions): StreamHandler {
  const params = options.stayPoint ?? defaultStayPointParams;
  const states = new ParticipantStates<ParticipantEpisodes>(
    () => ({ detector: initialStayPointState(), points: [], replayFrom: null, maxEventMs: Number.NEGATIVE_INFINITY }),
    (state) => {
      const first = state.points[0]?.offset ?? null;
      const from = state.replayFrom?.offset ?? null;
      return first === null ? from : from === null ? first : Math.min(first, from);
    },
  );

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

  return {
    inputs: [TOPICS.gpsClean],
    outputs: [TOPICS.gpsEpisodes],
    validate: (_topic, value) => validateGpsClean(value as Record<string, unknown>),
    process(records: readonly InputRecord[], nowMs: number) {
      // Points in arrival order: one out of order is rejected whether or not it shares a poll with
      // the points it is behind, so the result does not depend on batching (nor on a replay's).
      const chunks = new Map<string, HeldPoint[]>();
      for (const record of records) {
        const raw = record.value as Record<string, unknown>;
        const participant = raw.participant_virtual_id as string;
        const timeMs = eventTimeMs(raw.time) as number;
        const entry = states.touch(participant, record.topic, record.partition, nowMs);
        entry.state.maxEventMs = Math.max(entry.state.maxEventMs, timeMs);
        const hilbert = typeof raw.hilbert === 'number' ? raw.hilbert : null;
        const chunk = chunks.get(participant) ?? [];
        chunk.push({ timeMs, lat: raw.lat as number, lon: raw.lon as number, hilbert, offset: record.offset });
        chunks.set(participant, chunk);
      }
      const outputs: OutputRecord[] = [];
      for (const [participant, chunk] of chunks) {
        const entry = states.get(participant);
        if (!entry) continue;
        outputs.push(...step(participant, entry.state, chunk, entry.state.maxEventMs - options.allowedLatenessMs));
      }
      return outputs;
    },
    flushIdle(nowMs: number) {
      const outputs: OutputRecord[] = [];
      for (const entry of states.idle(nowMs, options.idleTimeoutMs)) {
        if (entry.state.detector.processed < entry.state.detector.points.length) {
          outputs.push(...step(entry.participant, entry.state, [], entry.state.maxEventMs));
        }
      }
      return outputs;
    },
    heldOffsets: () => states.heldOffsets(),
    openParticipants: () => states.openCount(),
    reset: () => states.reset(),
  };
}
