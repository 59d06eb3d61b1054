import { buildEpisode } from '../episodes/build-episode.js';
import type { Episode } from '../episodes/episode.js';
import { isWithinDistanceM } from '../geo/is-within-distance.js';
import { assertStrictlyIncreasing, type TrackPoint } from './track-point.js';

/** Parameters of the stay-point detector; docs/stop-detection.md explains each default. */
export interface StayPointParams {
  /** A stop starts when a run of points fits in a box whose diagonal is at most this, metres. */
  readonly maxDiameterM: number;
  /** ... and that run lasts at least this long, seconds. */
  readonly minDurationS: number;
  /** ... and holds at least this many points (absorbed outliers not counted). */
  readonly minPoints: number;
  /**
   * Two consecutive points further apart in time than this never share a stop, seconds: the gap
   * ends the open stop at its last point, and no candidate window spans it (unobserved time
   * cannot make or extend a stop). A move is not ended by such a gap: it spans it, because
   * underground transport (a Métro ride) has no fix between its entrance and its exit; only a gap
   * longer than maxMoveGapS ends a move.
   */
  readonly maxGapS: number;
  /**
   * A gap longer than this ends an open move too, at its last point before the gap, seconds; a
   * new move (or stop) starts after it. Must be at least maxGapS (else RangeError). Default
   * 3600 s: above the longest gap inside a move of the simulated study (39 min), so underground
   * rides stay whole, and well below a night or a day with the tablet off, which would otherwise
   * make one move of several days (192.6 h on the real fixture) and relabel days of sensor data
   * matched to it by time overlap.
   */
  readonly maxMoveGapS: number;
  /**
   * Once confirmed, a stop keeps every point within this distance of its running centroid
   * (outliers excluded), metres: the GPS jitter of a long stay spreads wider than the confirming
   * diameter, so the stop may span up to twice this value.
   */
  readonly maxJitterM: number;
  /**
   * A confirmed stop is not ended by an excursion: a run of points beyond maxJitterM that comes
   * back within it, lasting at most maxExcursionS seconds (first to last point of the run) and
   * with at most maxOutlierPoints of its points beyond maxExcursionM of the centroid, metres. The
   * run is absorbed as outliers. A longer or farther run ends the stop at its first point.
   */
  readonly maxExcursionM: number;
  readonly maxExcursionS: number;
  /**
   * Up to this many consecutive points outside the current stop (or candidate) are absorbed as
   * GPS outliers when the point after them is inside again; 0 disables the rule.
   */
  readonly maxOutlierPoints: number;
}

export const defaultStayPointParams: StayPointParams = Object.freeze({
  maxDiameterM: 100,
  minDurationS: 120,
  minPoints: 3,
  maxGapS: 300,
  maxMoveGapS: 3600,
  maxJitterM: 100,
  maxExcursionM: 200,
  maxExcursionS: 120,
  maxOutlierPoints: 1,
});

/** Running centroid of the open stop as sums of offsets from its first point, degrees. */
export interface StayPointCentroid {
  readonly lat0: number;
  readonly lon0: number;
  readonly sumDLat: number;
  readonly sumDLon: number;
  readonly n: number;
}

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
  /** Suspects beyond maxExcursionM of the stop's centroid (stopped only). */
  readonly farSuspects: number;
  /** Absorbed outliers in points[start..processed) (seeking only). */
  readonly windowOutliers: number;
  /** Centroid of the open stop (stopped only). */
  readonly centroid: StayPointCentroid;
  /** Time of the latest point received. */
  readonly lastTimeMs: number | null;
  /** Time of the latest point processed (for the gap rule); null after the end of a trajectory. */
  readonly lastProcessedMs: number | null;
  /** Start and end of the open episode as last emitted, so unchanged episodes are not re-emitted. */
  readonly openEmitted: { startMs: number; endMs: number; type: 'stop' | 'move' } | null;
  /** Time of the first point of the move before the open stop (stopped only; see replayFromMs). */
  readonly stopMoveStartMs: number | null;
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
  /**
   * Time of the point from which the state can be rebuilt exactly, or null: the first point of
   * the open move, or of the move before the open stop. There the detector was fresh (no window,
   * suspect or outlier carried over), so feeding the points from it to `initialStayPointState()`
   * gives the same state; from the stop's own start it would not (the candidate window that slid
   * to it judged outliers against earlier points). A stream keeps its input from here on.
   */
  readonly replayFromMs: number | null;
}

const NO_CENTROID: StayPointCentroid = Object.freeze({ lat0: 0, lon0: 0, sumDLat: 0, sumDLon: 0, n: 0 });

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
    farSuspects: 0,
    windowOutliers: 0,
    centroid: NO_CENTROID,
    lastTimeMs: null,
    lastProcessedMs: null,
    openEmitted: null,
    stopMoveStartMs: null,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Work = Mutable<Omit<StayPointState, 'centroid'>> & { centroid: Mutable<StayPointCentroid> };

function copyState(s: StayPointState): Work {
  return {
    ...s,
    points: [...s.points],
    outlier: [...s.outlier],
    suspects: [...s.suspects],
    dq: { minLat: [...s.dq.minLat], maxLat: [...s.dq.maxLat], minLon: [...s.dq.minLon], maxLon: [...s.dq.maxLon] },
    centroid: { ...s.centroid },
  };
}

/**
 * One step of the streaming stay-point detector (DESIGN.md §5.4, docs/stop-detection.md).
 * `chunk`: further points of one participant, sorted, cleaned, later than any point given
 * before. Points up to `watermarkMs` are processed; later ones wait. `watermarkMs = Infinity`
 * ends the trajectory: the open episode is closed as last emitted (a stop at its last point
 * inside, pending suspects left out; a move up to its last point) and the state starts afresh.
 * The episodes do not depend on how the points are split into chunks, and a start emitted for an
 * open episode stays the start of a final one, whatever points follow (sinks upsert by start).
 *
 * Rules, in order, for each point:
 * 1. Gap: if it comes more than maxGapS after the previous point, an open stop ends at the
 *    previous point (final; pending suspects are placed first, without waiting) and detection
 *    starts afresh at this point. An open move is not ended by a gap of at most maxMoveGapS: it
 *    spans the gap (underground transport leaves no fix between entrance and exit), only its
 *    candidate window restarts at this point, so a stop is never made or extended by unobserved
 *    time. A gap longer than maxMoveGapS ends the open move at the previous point (final) too,
 *    and a new move starts at this point.
 * 2. Seeking: the candidate window is the longest run of recent points whose bounding box has a
 *    diagonal ≤ maxDiameterM; it becomes a stop as soon as it spans minDurationS and holds
 *    minPoints points (outliers not counted). The points before it form the move.
 * 3. Stopped: a point within maxJitterM of the stop's centroid extends the stop.
 * 4. Outliers and excursions: a point that does not fit is held as a suspect. Seeking, at most
 *    maxOutlierPoints suspects wait; stopped, a run of suspects waits while it lasts at most
 *    maxExcursionS and holds at most maxOutlierPoints points beyond maxExcursionM of the
 *    centroid. When a point fits again the suspects are absorbed as outliers (labelled with the
 *    episode, left out of its geometry); otherwise the first suspect ends the stop (or slides the
 *    candidate window past the points it does not fit with) and the others are placed again.
 *
 * @example stepStayPoints(initialStayPointState(), points, Infinity).changes
 */
export function stepStayPoints(
  state: StayPointState,
  chunk: readonly TrackPoint[],
  watermarkMs: number,
  params: StayPointParams = defaultStayPointParams,
): StayPointStepResult {
  if (!(params.maxMoveGapS >= params.maxGapS)) {
    throw new RangeError(`maxMoveGapS (${params.maxMoveGapS} s) must be at least maxGapS (${params.maxGapS} s)`);
  }
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
  const maxGapMs = params.maxGapS * 1000;
  const maxMoveGapMs = params.maxMoveGapS * 1000;
  const points = w.points;
  while (w.processed < points.length) {
    const i = w.processed;
    const timeMs = points[i]!.timeMs;
    if (timeMs > watermarkMs) break;
    if (w.lastProcessedMs !== null && timeMs - w.lastProcessedMs > maxGapMs) run.gapBefore(i, timeMs - w.lastProcessedMs > maxMoveGapMs);
    run.handle(i);
    w.lastProcessedMs = timeMs;
    w.processed = i + 1;
  }
  if (watermarkMs === Number.POSITIVE_INFINITY) {
    run.closeOpen();
    const fresh = initialStayPointState();
    return { state: { ...fresh, base: w.base + w.points.length, lastTimeMs: w.lastTimeMs }, changes, earliestNeededMs: null, rejected, replayFromMs: null };
  }
  run.emitOpen();
  trim(w, w.mode === 'seeking' ? w.moveStart : w.start);
  const replayFromMs = w.mode === 'stopped' ? w.stopMoveStartMs : (w.points[w.moveStart]?.timeMs ?? null);
  return { state: w, changes, earliestNeededMs: w.points[0]?.timeMs ?? null, rejected, replayFromMs };
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

class Detector {
  private readonly minDurationMs: number;
  constructor(
    private readonly w: Work,
    private readonly params: StayPointParams,
    private readonly changes: EpisodeChange[],
  ) {
    this.minDurationMs = params.minDurationS * 1000;
  }

  /** Places point i. */
  handle(i: number): void {
    const w = this.w;
    if (this.fits(i)) {
      if (w.suspects.length > 0) {
        for (const s of w.suspects) w.outlier[s] = true;
        if (w.mode === 'seeking') w.windowOutliers += w.suspects.length;
        w.suspects = [];
        w.farSuspects = 0;
      }
      this.addInside(i);
    } else if (this.mayWait(i)) {
      w.suspects.push(i);
    } else if (w.suspects.length === 0) {
      this.breakAt(i);
    } else {
      this.breakAtFirstSuspect();
      this.handle(i);
    }
  }

  /**
   * The first suspect is really outside: the stop ends (or the window slides) there, and the
   * other suspects are placed again as ordinary points. So the state after it is the state a
   * detector started at that suspect would have (see replayFromMs).
   */
  private breakAtFirstSuspect(): void {
    const w = this.w;
    const pending = w.suspects;
    w.suspects = [];
    w.farSuspects = 0;
    this.breakAt(pending[0]!);
    for (let k = 1; k < pending.length; k++) this.handle(pending[k]!);
  }

  /** Whether point i, which does not fit, may wait as a suspect (an outlier or an excursion). */
  private mayWait(i: number): boolean {
    const w = this.w;
    const params = this.params;
    if (w.mode === 'seeking') return w.suspects.length < params.maxOutlierPoints;
    const p = w.points[i]!;
    const c = w.centroid;
    const far = isWithinDistanceM(c.lat0 + c.sumDLat / c.n, c.lon0 + c.sumDLon / c.n, p.lat, p.lon, params.maxExcursionM) ? 0 : 1;
    const firstMs = w.suspects.length > 0 ? w.points[w.suspects[0]!]!.timeMs : p.timeMs;
    if (w.farSuspects + far > params.maxOutlierPoints || p.timeMs - firstMs > params.maxExcursionS * 1000) return false;
    w.farSuspects += far;
    return true;
  }

  /**
   * Ends the trajectory: the open episode becomes final exactly as {@link emitOpen} last showed
   * it, so what a stream emitted before it knew whether more points would come stays true.
   */
  closeOpen(): void {
    const open = this.openRange();
    if (open !== null) this.emit(open.type, open.first, open.last, true);
  }

  /**
   * The open episode as known so far, or null. A stop ends at its last point inside: pending
   * suspects may still be absorbed, so they are left out rather than made a move whose start
   * would vanish if they were. A move runs to the last processed point, its candidate window and
   * suspects included: if they become a stop, the move keeps its start and only its end moves.
   */
  private openRange(): { type: 'stop' | 'move'; first: number; last: number } | null {
    const w = this.w;
    const stopped = w.mode === 'stopped';
    const first = stopped ? w.start : w.moveStart;
    const last = stopped ? w.processed - 1 - w.suspects.length : w.processed - 1;
    return first < 0 || last < first ? null : { type: stopped ? 'stop' : 'move', first, last };
  }

  /**
   * Point i comes more than maxGapS after the previous one. Pending suspects are resolved without
   * waiting (the first one breaks, the others are placed again, until none waits); then an open stop ends at its last point (final) and a new move starts at i, while
   * an open move spans the gap and only its candidate window restarts at i, unless `endsMove`
   * (the gap is longer than maxMoveGapS): then the move ends at i - 1 (final) and a new one
   * starts at i.
   */
  gapBefore(i: number, endsMove: boolean): void {
    const w = this.w;
    while (w.suspects.length > 0) this.breakAtFirstSuspect();
    if (w.mode === 'stopped') {
      this.emit('stop', w.start, i - 1, true);
      w.mode = 'seeking';
      w.moveStart = i;
      w.centroid = { ...NO_CENTROID };
    } else if (endsMove && w.moveStart >= 0 && w.moveStart < i) {
      this.emit('move', w.moveStart, i - 1, true);
      w.moveStart = i;
    }
    w.start = i;
    w.dq = { minLat: [], maxLat: [], minLon: [], maxLon: [] };
    w.windowOutliers = 0;
  }

  /** Emits the open episode (not final) when it changed since it was last emitted. */
  emitOpen(): void {
    const open = this.openRange();
    if (open === null) return;
    const w = this.w;
    const startMs = w.points[open.first]!.timeMs;
    const endMs = w.points[open.last]!.timeMs;
    const prev = w.openEmitted;
    if (prev && prev.startMs === startMs && prev.endMs === endMs && prev.type === open.type) return;
    this.emit(open.type, open.first, open.last, false);
    w.openEmitted = { startMs, endMs, type: open.type };
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
      const c = w.centroid;
      return isWithinDistanceM(c.lat0 + c.sumDLat / c.n, c.lon0 + c.sumDLon / c.n, p.lat, p.lon, this.params.maxJitterM);
    }
    const dq = w.dq;
    if (dq.minLat.length === 0) return true;
    const pts = w.points;
    const south = pts[dq.minLat[0]!]!.lat;
    const north = pts[dq.maxLat[0]!]!.lat;
    const west = pts[dq.minLon[0]!]!.lon;
    const east = pts[dq.maxLon[0]!]!.lon;
    // Inside the box already: the box, hence its diagonal, does not grow.
    if (p.lat >= south && p.lat <= north && p.lon >= west && p.lon <= east) return true;
    return isWithinDistanceM(
      p.lat < south ? p.lat : south,
      p.lon < west ? p.lon : west,
      p.lat > north ? p.lat : north,
      p.lon > east ? p.lon : east,
      this.params.maxDiameterM,
    );
  }

  private addInside(i: number): void {
    const w = this.w;
    const pts = w.points;
    const p = pts[i]!;
    if (w.mode === 'stopped') {
      const c = w.centroid;
      c.sumDLat += p.lat - c.lat0;
      c.sumDLon += p.lon - c.lon0;
      c.n++;
      return;
    }
    const { lat, lon } = p;
    const { minLat, maxLat, minLon, maxLon } = w.dq;
    while (minLat.length > 0 && pts[minLat[minLat.length - 1]!]!.lat >= lat) minLat.pop();
    minLat.push(i);
    while (maxLat.length > 0 && pts[maxLat[maxLat.length - 1]!]!.lat <= lat) maxLat.pop();
    maxLat.push(i);
    while (minLon.length > 0 && pts[minLon[minLon.length - 1]!]!.lon >= lon) minLon.pop();
    minLon.push(i);
    while (maxLon.length > 0 && pts[maxLon[maxLon.length - 1]!]!.lon <= lon) maxLon.pop();
    maxLon.push(i);
    if (p.timeMs - pts[w.start]!.timeMs >= this.minDurationMs && i - w.start + 1 - w.windowOutliers >= this.params.minPoints) this.confirm(i);
  }

  /** The candidate window points[start..i] becomes the open stop. */
  private confirm(i: number): void {
    const w = this.w;
    if (w.start > w.moveStart) this.emit('move', w.moveStart, w.start - 1, true);
    const pts = w.points;
    const first = pts[w.start]!;
    const c = { lat0: first.lat, lon0: first.lon, sumDLat: 0, sumDLon: 0, n: 0 };
    for (let k = w.start; k <= i; k++) {
      if (w.outlier[k] === true) continue;
      c.sumDLat += pts[k]!.lat - c.lat0;
      c.sumDLon += pts[k]!.lon - c.lon0;
      c.n++;
    }
    w.centroid = c;
    w.dq = { minLat: [], maxLat: [], minLon: [], maxLon: [] };
    w.windowOutliers = 0;
    w.mode = 'stopped';
    w.stopMoveStartMs = pts[w.moveStart]!.timeMs;
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
      w.windowOutliers = 0;
      w.centroid = { ...NO_CENTROID };
      this.addInside(i);
      return;
    }
    const dq = w.dq;
    while (!this.fits(i)) {
      if (w.outlier[w.start] === true) w.windowOutliers--;
      w.start++;
      while (w.start < i && w.outlier[w.start] === true) {
        w.windowOutliers--;
        w.start++;
      }
      while (dq.minLat.length > 0 && dq.minLat[0]! < w.start) dq.minLat.shift();
      while (dq.maxLat.length > 0 && dq.maxLat[0]! < w.start) dq.maxLat.shift();
      while (dq.minLon.length > 0 && dq.minLon[0]! < w.start) dq.minLon.shift();
      while (dq.maxLon.length > 0 && dq.maxLon[0]! < w.start) dq.maxLon.shift();
    }
    this.addInside(i);
  }
}
