import { buildEpisode } from '../episodes/build-episode.js';
import type { Episode } from '../episodes/episode.js';
import { haversineDistanceM } from '../geo/haversine-distance.js';
import { assertStrictlyIncreasing, type TrackPoint } from './track-point.js';

export interface StayPointParams {
  /** All points of a stop fit in a box whose diagonal is at most this, metres. */
  readonly maxDiameterM: number;
  /** A stop lasts at least this long, seconds. */
  readonly minDurationS: number;
  /**
   * Up to this many consecutive points outside the current stop (or candidate) are absorbed as
   * GPS outliers when the point after them is inside again; 0 disables the rule.
   */
  readonly maxOutlierPoints: number;
}

export const defaultStayPointParams: StayPointParams = Object.freeze({ maxDiameterM: 100, minDurationS: 120, maxOutlierPoints: 1 });

/**
 * Streaming state of the stay-point detector: a plain JSON-serialisable object. Indices are
 * local to `points`, whose first element has the absolute index `base`.
 */
export interface StayPointState {
  readonly points: TrackPoint[];
  readonly outlier: boolean[];
  readonly base: number;
  /** points[processed..] are buffered beyond the watermark. */
  readonly processed: number;
  readonly mode: 'seeking' | 'stopped';
  /** First point of the open move (seeking), -1 while stopped. */
  readonly moveStart: number;
  /** First point of the candidate window (seeking) or of the open stop (stopped). */
  readonly start: number;
  readonly suspects: number[];
  /** Monotonic deques of the window's extreme points (seeking only). */
  readonly dq: { minLat: number[]; maxLat: number[]; minLon: number[]; maxLon: number[] };
  /** Bounding box of the open stop (stopped only). */
  readonly box: { minLat: number; maxLat: number; minLon: number; maxLon: number };
  readonly lastTimeMs: number | null;
  /** Start and end of the open episode as last emitted, so unchanged episodes are not re-emitted. */
  readonly openEmitted: { startMs: number; endMs: number; type: 'stop' | 'move' } | null;
}

export interface EpisodeChange {
  readonly episode: Episode;
  /** False while the episode may still grow; its start (the key) never changes. */
  readonly final: boolean;
}

export interface StayPointStepResult {
  readonly state: StayPointState;
  /** Episodes that are new or changed since the previous step, in time order (upserts by start). */
  readonly changes: EpisodeChange[];
  /** Earliest point time the detector still holds, or null: records before it may be released. */
  readonly earliestNeededMs: number | null;
  /** Points not later than a point already received (late or unsorted): not processed. */
  readonly rejected: TrackPoint[];
}

export function initialStayPointState(): StayPointState {
  return {
    points: [],
    outlier: [],
    base: 0,
    processed: 0,
    mode: 'seeking',
    moveStart: 0,
    start: 0,
    suspects: [],
    dq: { minLat: [], maxLat: [], minLon: [], maxLon: [] },
    box: { minLat: 0, maxLat: 0, minLon: 0, maxLon: 0 },
    lastTimeMs: null,
    openEmitted: null,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Work = Mutable<StayPointState> & { dq: StayPointState['dq']; box: Mutable<StayPointState['box']> };

function copyState(s: StayPointState): Work {
  return {
    ...s,
    points: [...s.points],
    outlier: [...s.outlier],
    suspects: [...s.suspects],
    dq: { minLat: [...s.dq.minLat], maxLat: [...s.dq.maxLat], minLon: [...s.dq.minLon], maxLon: [...s.dq.maxLon] },
    box: { ...s.box },
  };
}

/**
 * One step of the streaming stay-point detector (DESIGN.md §5.4). `chunk`: further points of one
 * participant, sorted, cleaned, later than any point given before. Points up to `watermarkMs`
 * are processed; later ones wait. `watermarkMs = Infinity` ends the trajectory: everything open
 * is closed and the state starts afresh.
 *
 * Rule: a candidate window is the longest run of recent points whose bounding box has a
 * diagonal ≤ maxDiameterM; it becomes a stop as soon as it spans minDurationS, and the stop
 * grows while new points keep the box within maxDiameterM. A point outside is held as a suspect;
 * if the next point (after at most maxOutlierPoints suspects) is inside again, the suspects are
 * absorbed as outliers (labelled with the episode, left out of its geometry), otherwise the first
 * suspect breaks the stop. Moves are the runs between stops.
 *
 * @example stepStayPoints(initialStayPointState(), points, Infinity).changes
 */
export function stepStayPoints(
  state: StayPointState,
  chunk: readonly TrackPoint[],
  watermarkMs: number,
  params: StayPointParams = defaultStayPointParams,
): StayPointStepResult {
  const w = copyState(state);
  const rejected: TrackPoint[] = [];
  for (const p of chunk) {
    if (w.lastTimeMs !== null && !(p.timeMs > w.lastTimeMs)) {
      rejected.push(p);
      continue;
    }
    w.points.push(p);
    w.outlier.push(false);
    w.lastTimeMs = p.timeMs;
  }
  const changes: EpisodeChange[] = [];
  const run = new Detector(w, params, changes);
  while (w.processed < w.points.length && w.points[w.processed]!.timeMs <= watermarkMs) {
    run.handle(w.processed, params.maxOutlierPoints);
    w.processed++;
  }
  if (watermarkMs === Number.POSITIVE_INFINITY) {
    run.flush();
    const fresh = initialStayPointState();
    return { state: { ...fresh, base: w.base + w.points.length, lastTimeMs: w.lastTimeMs }, changes, earliestNeededMs: null, rejected };
  }
  run.emitOpen();
  trim(w, w.mode === 'seeking' ? w.moveStart : w.start);
  return { state: w, changes, earliestNeededMs: w.points[0]?.timeMs ?? null, rejected };
}

/**
 * Stops and moves of a whole trajectory (sorted by strictly increasing time, else RangeError).
 *
 * @example detectStayPoints(points).filter((e) => e.type === 'stop').length
 */
export function detectStayPoints(points: readonly TrackPoint[], params: StayPointParams = defaultStayPointParams): Episode[] {
  assertStrictlyIncreasing(points);
  return stepStayPoints(initialStayPointState(), points, Number.POSITIVE_INFINITY, params).changes.map((c) => c.episode);
}

function trim(w: Work, cut: number): void {
  if (cut <= 0) return;
  w.points.splice(0, cut);
  w.outlier.splice(0, cut);
  w.base += cut;
  w.processed -= cut;
  if (w.moveStart >= 0) w.moveStart -= cut;
  w.start -= cut;
  w.suspects = w.suspects.map((i) => i - cut);
  for (const key of ['minLat', 'maxLat', 'minLon', 'maxLon'] as const) w.dq[key] = w.dq[key].map((i) => i - cut);
}

function diagonalM(minLat: number, maxLat: number, minLon: number, maxLon: number): number {
  return haversineDistanceM(minLat, minLon, maxLat, maxLon);
}

class Detector {
  private readonly minDurationMs: number;
  constructor(
    private readonly w: Work,
    private readonly params: StayPointParams,
    private readonly changes: EpisodeChange[],
  ) {
    this.minDurationMs = params.minDurationS * 1000;
  }

  handle(i: number, maxSuspects: number): void {
    const w = this.w;
    if (this.fits(i)) {
      for (const s of w.suspects) w.outlier[s] = true;
      w.suspects = [];
      this.addInside(i);
    } else if (w.suspects.length < maxSuspects) {
      w.suspects.push(i);
    } else {
      const queue = [...w.suspects, i];
      w.suspects = [];
      this.breakAt(queue[0]!);
      for (const j of queue.slice(1)) this.handle(j, maxSuspects);
    }
  }

  flush(): void {
    const w = this.w;
    const queue = w.suspects;
    w.suspects = [];
    for (const j of queue) this.handle(j, 0);
    const last = w.processed - 1;
    if (last < 0) return;
    if (w.mode === 'stopped') this.emit('stop', w.start, last, true);
    else if (w.moveStart <= last) this.emit('move', w.moveStart, last, true);
  }

  emitOpen(): void {
    const w = this.w;
    let first: number;
    let last: number;
    if (w.mode === 'stopped') {
      first = w.start;
      last = w.processed - 1 - w.suspects.length;
    } else {
      first = w.moveStart;
      last = w.start - 1;
    }
    if (first < 0 || last < first) return;
    const type = w.mode === 'stopped' ? 'stop' : 'move';
    const startMs = w.points[first]!.timeMs;
    const endMs = w.points[last]!.timeMs;
    const prev = w.openEmitted;
    if (prev && prev.startMs === startMs && prev.endMs === endMs && prev.type === type) return;
    this.emit(type, first, last, false);
    w.openEmitted = { startMs, endMs, type };
  }

  private emit(type: 'stop' | 'move', first: number, last: number, final: boolean): void {
    const w = this.w;
    const episode = buildEpisode(type, w.points, first, last, (k) => w.outlier[k] === true, w.base);
    this.changes.push({ episode, final });
    if (final) w.openEmitted = null;
  }

  /** Whether point i fits in the open stop or candidate window. */
  private fits(i: number): boolean {
    const w = this.w;
    const p = w.points[i]!;
    if (w.mode === 'stopped') {
      const b = w.box;
      // Inside the box already: the box, hence its diagonal, does not grow.
      if (p.lat >= b.minLat && p.lat <= b.maxLat && p.lon >= b.minLon && p.lon <= b.maxLon) return true;
      return diagonalM(Math.min(b.minLat, p.lat), Math.max(b.maxLat, p.lat), Math.min(b.minLon, p.lon), Math.max(b.maxLon, p.lon)) <= this.params.maxDiameterM;
    }
    const { minLat, maxLat, minLon, maxLon } = w.dq;
    if (minLat.length === 0) return true;
    const pts = w.points;
    const south = pts[minLat[0]!]!.lat;
    const north = pts[maxLat[0]!]!.lat;
    const west = pts[minLon[0]!]!.lon;
    const east = pts[maxLon[0]!]!.lon;
    if (p.lat >= south && p.lat <= north && p.lon >= west && p.lon <= east) return true;
    return (
      diagonalM(
        Math.min(pts[minLat[0]!]!.lat, p.lat),
        Math.max(pts[maxLat[0]!]!.lat, p.lat),
        Math.min(pts[minLon[0]!]!.lon, p.lon),
        Math.max(pts[maxLon[0]!]!.lon, p.lon),
      ) <= this.params.maxDiameterM
    );
  }

  private addInside(i: number): void {
    const w = this.w;
    const p = w.points[i]!;
    if (w.mode === 'stopped') {
      const b = w.box;
      b.minLat = Math.min(b.minLat, p.lat);
      b.maxLat = Math.max(b.maxLat, p.lat);
      b.minLon = Math.min(b.minLon, p.lon);
      b.maxLon = Math.max(b.maxLon, p.lon);
      return;
    }
    const pts = w.points;
    pushBack(w.dq.minLat, i, (k) => pts[k]!.lat >= p.lat);
    pushBack(w.dq.maxLat, i, (k) => pts[k]!.lat <= p.lat);
    pushBack(w.dq.minLon, i, (k) => pts[k]!.lon >= p.lon);
    pushBack(w.dq.maxLon, i, (k) => pts[k]!.lon <= p.lon);
    if (p.timeMs - pts[w.start]!.timeMs >= this.minDurationMs) this.confirm();
  }

  private confirm(): void {
    const w = this.w;
    if (w.start > w.moveStart) this.emit('move', w.moveStart, w.start - 1, true);
    const pts = w.points;
    w.box = {
      minLat: pts[w.dq.minLat[0]!]!.lat,
      maxLat: pts[w.dq.maxLat[0]!]!.lat,
      minLon: pts[w.dq.minLon[0]!]!.lon,
      maxLon: pts[w.dq.maxLon[0]!]!.lon,
    };
    w.dq = { minLat: [], maxLat: [], minLon: [], maxLon: [] };
    w.mode = 'stopped';
    w.moveStart = -1;
  }

  /** Point i is really outside: close the stop, or slide the candidate window past it. */
  private breakAt(i: number): void {
    const w = this.w;
    if (w.mode === 'stopped') {
      this.emit('stop', w.start, i - 1, true);
      w.mode = 'seeking';
      w.moveStart = i;
      w.start = i;
      this.addInside(i);
      return;
    }
    while (!this.fits(i)) {
      w.start++;
      while (w.start < i && w.outlier[w.start] === true) w.start++;
      for (const key of ['minLat', 'maxLat', 'minLon', 'maxLon'] as const) {
        const dq = w.dq[key];
        while (dq.length > 0 && dq[0]! < w.start) dq.shift();
      }
    }
    this.addInside(i);
  }
}

/** Pushes i on a monotonic deque after dropping the back entries it dominates. */
function pushBack(dq: number[], i: number, dominated: (k: number) => boolean): void {
  while (dq.length > 0 && dominated(dq[dq.length - 1]!)) dq.pop();
  dq.push(i);
}
