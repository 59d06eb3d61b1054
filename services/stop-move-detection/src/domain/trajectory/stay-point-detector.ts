import { buildEpisode } from '../episodes/build-episode.js';
import type { Episode } from '../episodes/episode.js';
import { addStopPoint, copyStopSummary, stopCentroid, stopEpisodeFromSummary, summariseStop, type StopSummary } from '../episodes/stop-summary.js';
import { isWithinDistanceM } from '../geo/is-within-distance.js';
import { splitLegs } from './split-legs.js';
import { defaultStayPointParams, resolveStayPointParams, type ResolvedStayPointParams, type StayPointParams } from './stay-point-params.js';
import { assertStrictlyIncreasing, type TrackPoint } from './track-point.js';

export { defaultStayPointParams, resolveStayPointParams, type ResolvedStayPointParams, type StayPointParams } from './stay-point-params.js';

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
  /** First point of the candidate window (seeking); unused while stopped (the summary has it). */
  readonly start: number;
  /**
   * Seeking: the first point after a gap longer than maxMoveGapS that the candidate window spans
   * (its sides are close); if the window slides past it, the move ends before it. -1 if none.
   */
  readonly moveBreak: number;
  readonly suspects: number[];
  /** Monotonic deques of the window's extreme points (seeking only). */
  readonly dq: { minLat: number[]; maxLat: number[]; minLon: number[]; maxLon: number[] };
  /** Suspects beyond maxExcursionM of the stop's centroid (stopped only). */
  readonly farSuspects: number;
  /** Absorbed outliers in points[start..processed) (seeking only). */
  readonly windowOutliers: number;
  /**
   * The open stop (stopped only): a summary of bounded size, so a stop lasting days keeps no
   * points; `points` then starts at its first pending suspect.
   */
  readonly stop: StopSummary | null;
  /** Time of the latest point received. */
  readonly lastTimeMs: number | null;
  /** Time of the latest point processed (for the gap rule); null after the end of a trajectory. */
  readonly lastProcessedMs: number | null;
  /** The latest point processed (the gap rule compares the fixes on both sides of a gap). */
  readonly lastProcessed: TrackPoint | null;
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

export function initialStayPointState(): StayPointState {
  return {
    points: [],
    outlier: [],
    base: 0,
    processed: 0,
    mode: 'seeking',
    moveStart: 0,
    start: 0,
    moveBreak: -1,
    suspects: [],
    dq: { minLat: [], maxLat: [], minLon: [], maxLon: [] },
    farSuspects: 0,
    windowOutliers: 0,
    stop: null,
    lastTimeMs: null,
    lastProcessedMs: null,
    lastProcessed: null,
    openEmitted: null,
    stopMoveStartMs: null,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Work = Mutable<Omit<StayPointState, 'stop'>> & { stop: StopSummary | null };

function copyState(s: StayPointState): Work {
  return {
    ...s,
    points: [...s.points],
    outlier: [...s.outlier],
    suspects: [...s.suspects],
    dq: { minLat: [...s.dq.minLat], maxLat: [...s.dq.maxLat], minLon: [...s.dq.minLon], maxLon: [...s.dq.maxLon] },
    stop: s.stop === null ? null : copyStopSummary(s.stop),
  };
}

/**
 * One step of the streaming stay-point detector (docs/design.md §5.4, docs/stop-detection.md).
 * `chunk`: further points of one participant, sorted, cleaned, later than any point given
 * before. Points up to `watermarkMs` are processed; later ones wait. `watermarkMs = Infinity`
 * ends the trajectory: the open episode is closed as last emitted (a stop at its last point
 * inside, pending suspects left out; a move up to its last point) and the state starts afresh.
 * The episodes do not depend on how the points are split into chunks, and a start emitted for an
 * open episode stays the start of a final one, whatever points follow (sinks upsert by start).
 *
 * Rules, in order, for each point:
 * 1. Gap: if it comes more than maxGapS after the previous point, and lies within maxDiameterM
 *    of it, and the gap lasts at most maxStopGapS, the gap is time spent in one place: an open
 *    stop spans it (flag `gap`) and a candidate window too (so it may become a stop spanning it).
 *    Otherwise an open stop ends at the previous point (final; pending suspects are placed first,
 *    without waiting) and detection starts afresh at this point; an open move is not ended by a
 *    gap of at most maxMoveGapS: it spans the gap (underground transport leaves no fix between
 *    entrance and exit), only its candidate window restarts at this point. A gap longer than
 *    maxMoveGapS ends the open move at the previous point (final) too, and a new move starts.
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
 * 5. A move, once final, is split into legs at sustained changes of speed regime ({@link splitLegs}).
 *
 * @example stepStayPoints(initialStayPointState(), points, Infinity).changes
 */
export function stepStayPoints(
  state: StayPointState,
  chunk: readonly TrackPoint[],
  watermarkMs: number,
  params: StayPointParams = defaultStayPointParams,
): StayPointStepResult {
  const resolved = resolveStayPointParams(params);
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
  const run = new Detector(w, resolved, changes);
  const maxGapMs = resolved.maxGapS * 1000;
  const maxMoveGapMs = resolved.maxMoveGapS * 1000;
  const maxStopGapMs = resolved.maxStopGapS * 1000;
  const points = w.points;
  while (w.processed < points.length) {
    const i = w.processed;
    const p = points[i]!;
    if (p.timeMs > watermarkMs) break;
    const gapMs = w.lastProcessedMs === null ? 0 : p.timeMs - w.lastProcessedMs;
    if (gapMs > maxGapMs) {
      const before = w.lastProcessed!;
      const inPlace = gapMs <= maxStopGapMs && isWithinDistanceM(before.lat, before.lon, p.lat, p.lon, resolved.maxDiameterM);
      if (inPlace && (w.mode === 'stopped' || gapMs <= maxMoveGapMs || w.moveBreak < 0)) run.spanGap(i, gapMs > maxMoveGapMs);
      else run.gapBefore(i, gapMs > maxMoveGapMs);
    }
    run.handle(i);
    w.lastProcessedMs = p.timeMs;
    w.lastProcessed = p;
    w.processed = i + 1;
  }
  if (watermarkMs === Number.POSITIVE_INFINITY) {
    run.closeOpen();
    const fresh = initialStayPointState();
    return { state: { ...fresh, base: w.base + w.points.length, lastTimeMs: w.lastTimeMs }, changes, earliestNeededMs: null, rejected, replayFromMs: null };
  }
  run.emitOpen();
  trim(w, w.mode === 'seeking' ? w.moveStart : (w.suspects[0] ?? w.processed));
  const replayFromMs = w.mode === 'stopped' ? w.stopMoveStartMs : (w.points[w.moveStart]?.timeMs ?? null);
  return { state: w, changes, earliestNeededMs: w.points[0]?.timeMs ?? null, rejected, replayFromMs };
}

/**
 * Stops and moves (split into legs) of a whole trajectory (sorted by strictly increasing time,
 * else RangeError).
 *
 * @example detectStayPoints(points).filter((e) => e.type === 'stop').length
 */
export function detectStayPoints(points: readonly TrackPoint[], params: StayPointParams = defaultStayPointParams): Episode[] {
  assertStrictlyIncreasing(points);
  return stepStayPoints(initialStayPointState(), points, Number.POSITIVE_INFINITY, params).changes.map((c) => c.episode);
}

/** Drops points[0..cut) (all before what the state still refers to). */
function trim(w: Work, cut: number): void {
  if (cut <= 0) return;
  w.points.splice(0, cut);
  w.outlier.splice(0, cut);
  w.base += cut;
  w.processed -= cut;
  if (w.moveStart >= 0) w.moveStart -= cut;
  if (w.moveBreak >= 0) w.moveBreak -= cut;
  w.start = w.mode === 'stopped' ? 0 : w.start - cut;
  w.suspects = w.suspects.map((i) => i - cut);
  for (const key of ['minLat', 'maxLat', 'minLon', 'maxLon'] as const) w.dq[key] = w.dq[key].map((i) => i - cut);
}

const EMPTY_DEQUES = (): Work['dq'] => ({ minLat: [], maxLat: [], minLon: [], maxLon: [] });

class Detector {
  private readonly minDurationMs: number;
  private readonly maxGapMs: number;
  constructor(
    private readonly w: Work,
    private readonly params: ResolvedStayPointParams,
    private readonly changes: EpisodeChange[],
  ) {
    this.minDurationMs = params.minDurationS * 1000;
    this.maxGapMs = params.maxGapS * 1000;
  }

  /** Places point i. */
  handle(i: number): void {
    const w = this.w;
    if (w.mode === 'stopped' && w.suspects.length === 0 && w.points[i]!.timeMs - w.stop!.endMs > this.maxGapMs && this.fits(i)) w.stop!.gap = true;
    if (this.fits(i)) {
      if (w.suspects.length > 0) {
        for (const s of w.suspects) w.outlier[s] = true;
        if (w.mode === 'seeking') w.windowOutliers += w.suspects.length;
        else this.absorbIntoStop(w.suspects, i);
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

  /** Suspects absorbed as outliers of the open stop before point i: counted, and their steps checked for a gap. */
  private absorbIntoStop(suspects: readonly number[], i: number): void {
    const stop = this.w.stop!;
    let prevMs = stop.endMs;
    for (const k of [...suspects, i]) {
      const t = this.w.points[k]!.timeMs;
      if (t - prevMs > this.maxGapMs) stop.gap = true;
      prevMs = t;
    }
    stop.pointCount += suspects.length;
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
    const c = stopCentroid(w.stop!);
    const far = isWithinDistanceM(c.lat, c.lon, p.lat, p.lon, params.maxExcursionM) ? 0 : 1;
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
    const w = this.w;
    if (w.mode === 'stopped') this.emitStop(true);
    else {
      const open = this.openMove();
      if (open !== null) this.emitMove(open.first, open.last, true);
    }
  }

  /**
   * The open move as known so far, or null. A move runs to the last processed point, its
   * candidate window and suspects included: if they become a stop, the move keeps its start and
   * only its end moves. (An open stop ends at its last point inside: pending suspects may still
   * be absorbed, so they are left out rather than made a move whose start would vanish.)
   */
  private openMove(): { first: number; last: number } | null {
    const w = this.w;
    const first = w.moveStart;
    const last = w.processed - 1;
    return first < 0 || last < first ? null : { first, last };
  }

  /**
   * Point i comes more than maxGapS after the previous one, and the gap is travel (its sides are
   * apart) or too long. Pending suspects are resolved without waiting (the first one breaks, the
   * others are placed again, until none waits); then an open stop ends at its last point (final)
   * and a new move starts at i, while an open move spans the gap and only its candidate window
   * restarts at i, unless `endsMove` (the gap is longer than maxMoveGapS): then the move ends at
   * i - 1 (final) and a new one starts at i.
   */
  gapBefore(i: number, endsMove: boolean): void {
    const w = this.w;
    while (w.suspects.length > 0) this.breakAtFirstSuspect();
    if (w.mode === 'stopped') {
      this.emitStop(true);
      w.mode = 'seeking';
      w.moveStart = i;
      w.stop = null;
    } else {
      // A long gap the window spanned stays out of the move as the window restarts.
      if (w.moveBreak > w.moveStart && w.moveStart >= 0) {
        this.emitMove(w.moveStart, w.moveBreak - 1, true);
        w.moveStart = w.moveBreak;
      }
      if (endsMove && w.moveStart >= 0 && w.moveStart < i) {
        this.emitMove(w.moveStart, i - 1, true);
        w.moveStart = i;
      }
    }
    w.start = i;
    w.moveBreak = -1;
    w.dq = EMPTY_DEQUES();
    w.windowOutliers = 0;
  }

  /**
   * Point i comes more than maxGapS after the previous one, within maxDiameterM of it and at most
   * maxStopGapS later: time spent in one place. An open stop spans the gap; a candidate window
   * too, and `endsMove` (longer than maxMoveGapS) marks i so that the move before the window
   * ends before the gap if the window slides past it.
   */
  spanGap(i: number, endsMove: boolean): void {
    const w = this.w;
    if (w.mode === 'seeking' && endsMove) w.moveBreak = i;
  }

  /** Emits the open episode (not final) when it changed since it was last emitted. */
  emitOpen(): void {
    const w = this.w;
    let startMs: number;
    let endMs: number;
    let type: 'stop' | 'move';
    if (w.mode === 'stopped') {
      startMs = w.stop!.startMs;
      endMs = w.stop!.endMs;
      type = 'stop';
    } else {
      const open = this.openMove();
      if (open === null) return;
      startMs = w.points[open.first]!.timeMs;
      endMs = w.points[open.last]!.timeMs;
      type = 'move';
    }
    const prev = w.openEmitted;
    if (prev && prev.startMs === startMs && prev.endMs === endMs && prev.type === type) return;
    if (type === 'stop') this.emitStop(false);
    else this.emitMove(w.moveStart, w.processed - 1, false);
    w.openEmitted = { startMs, endMs, type };
  }

  private emitStop(final: boolean): void {
    const w = this.w;
    this.changes.push({ episode: stopEpisodeFromSummary(w.stop!), final });
    if (final) w.openEmitted = null;
  }

  /** A final move is emitted leg by leg; the first leg keeps the move's start. */
  private emitMove(first: number, last: number, final: boolean): void {
    const w = this.w;
    const isOutlier = (k: number) => w.outlier[k] === true;
    const legs = final ? splitLegs(w.points, first, last, isOutlier, this.params) : [[first, last] as [number, number]];
    legs.forEach(([a, b], k) => {
      this.changes.push({ episode: buildEpisode('move', w.points, a, b, isOutlier, w.base, this.maxGapMs, k + 1), final });
    });
    if (final) w.openEmitted = null;
  }

  /** Whether point i fits in the open stop or candidate window. */
  private fits(i: number): boolean {
    const w = this.w;
    const p = w.points[i]!;
    if (w.mode === 'stopped') {
      const c = stopCentroid(w.stop!);
      return isWithinDistanceM(c.lat, c.lon, p.lat, p.lon, this.params.maxJitterM);
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
      addStopPoint(w.stop!, p, i + w.base);
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

  /** The candidate window points[start..i] becomes the open stop, kept as a summary. */
  private confirm(i: number): void {
    const w = this.w;
    if (w.start > w.moveStart) this.emitMove(w.moveStart, w.start - 1, true);
    w.stop = summariseStop(w.points, w.start, i, (k) => w.outlier[k] === true, w.base, this.maxGapMs);
    w.dq = EMPTY_DEQUES();
    w.windowOutliers = 0;
    w.moveBreak = -1;
    w.mode = 'stopped';
    w.stopMoveStartMs = w.points[w.moveStart]!.timeMs;
    w.moveStart = -1;
  }

  /** Point i is really outside: close the stop, or slide the candidate window past it. */
  private breakAt(i: number): void {
    const w = this.w;
    if (w.mode === 'stopped') {
      this.emitStop(true);
      w.mode = 'seeking';
      w.moveStart = i;
      w.start = i;
      w.windowOutliers = 0;
      w.stop = null;
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
    // The window slid past a long gap it spanned: the move before it ends before the gap.
    if (w.moveBreak >= 0 && w.start > w.moveBreak) {
      if (w.moveBreak > w.moveStart) this.emitMove(w.moveStart, w.moveBreak - 1, true);
      w.moveStart = Math.max(w.moveStart, w.moveBreak);
      w.moveBreak = -1;
    }
    this.addInside(i);
  }
}
