/**
 * The cleaner in stream form (docs/design.md §4): the same rules as {@link cleanSensorSeries}, fed
 * by chunks of any size, with output independent of the chunking.
 *
 * Spans (defaults): a cleaned row at t reads raw rows in [t − lookbehind, t + lookahead], with
 * lookbehind = spike half-window + imputation reach back (2 + 4 = 6 min) and lookahead = spike
 * half-window + imputation reach ahead (2 + 3 = 5 min); NO2 warm-up reads the session's past,
 * summarised in a small carry for rows no longer held. Row t is final once the watermark is at
 * least t + lookahead. After emitting, the state keeps the rows of the last
 * lookbehind + lateRetention before the emission frontier, so that a late row within that
 * horizon recomputes and re-emits every emitted row from (late time − lookahead) on.
 * A row more than lateRetention behind the emission frontier is too late ({@link tooLateForCleaner}):
 * its context is gone, and cleaning it with what is left would overwrite good rows (a duplicate
 * of the first minutes of a session would lose its NO2 warm-up), so it is not taken.
 *
 * Restart: the held rows ({@link retainedRows}) are enough to recompute every row not yet
 * emitted. Pruning keeps, besides lookbehind + late retention, the rows a fresh state needs to
 * reach the same NO2 warm-up state (up to the first session break or the first `warmUpValues`
 * NO2 values of the held rows, at most {@link StreamingCleanerParams.maxWarmUpContextMs} back),
 * so a fresh state fed the retained rows and then the rest emits, from the first row not yet
 * emitted on, the same rows as the state it replaces.
 */
import { MINUTE_MS, type CleanSensorRow, type SensorRow } from '../sensor-row.js';
import { cleanRows, cleanSortedColumns, defaultCleaningParams, type CleaningParams } from './clean-sensor-series.js';
import { CleaningWorkspace } from './columns.js';
import { emptyNo2WarmUpCarry, type No2WarmUpCarry, type No2WarmUpParams } from './no2-warm-up.js';

export interface StreamingCleanerParams {
  readonly cleaning: CleaningParams;
  /** How long emitted rows stay held so a late row can still be cleaned in context, ms. */
  readonly lateRetentionMs: number;
  /**
   * Longest time rows are held back from the emission frontier so that a restarted state can
   * rebuild the NO2 warm-up state (only when NO2 is missing for long inside a session), ms.
   */
  readonly maxWarmUpContextMs: number;
}

export const defaultStreamingCleanerParams: StreamingCleanerParams = Object.freeze({
  cleaning: defaultCleaningParams,
  lateRetentionMs: 30 * MINUTE_MS,
  maxWarmUpContextMs: 3 * 60 * MINUTE_MS,
});

/** Reused by every state: the emitted rows are built before emit returns. */
const workspace = new CleaningWorkspace();

/** One participant's cleaner state: a plain object, rebuilt from Kafka after a rebalance. */
export interface StreamingCleanerState<R extends SensorRow> {
  /** Rows held, ascending by time, one per time. */
  rows: R[];
  /** Warm-up state after the rows already dropped from `rows`. */
  carry: No2WarmUpCarry;
  /** Every row at or before this time has been emitted (or is context only); `null` before any. */
  emittedUpToMs: number | null;
}

/**
 * A fresh state. `resumeAfterMs` marks rows at or before it as already emitted (context only).
 *
 * After a restart the service re-reads a participant's rows from the offset of the oldest row
 * the previous state retained and feeds them, then the rest, to a fresh state: rows not yet
 * emitted before the restart come out exactly as the previous state would have emitted them.
 * With `resumeAfterMs = null` the re-read rows already emitted are emitted again (consumers
 * upsert by time); the first of them lack their earlier context and may differ from their first
 * emission. Passing the previous state's last emitted time (`emittedUpToMs`, when the service
 * kept it, e.g. in its commit metadata) suppresses those re-emissions.
 *
 * @example const state = createCleanerState<Row>();
 */
export function createCleanerState<R extends SensorRow>(resumeAfterMs: number | null = null): StreamingCleanerState<R> {
  return { rows: [], carry: emptyNo2WarmUpCarry, emittedUpToMs: resumeAfterMs };
}

/** How far ahead a row's cleaning looks, ms (5 min by default). */
export function cleanerLookaheadMs(params: CleaningParams = defaultCleaningParams): number {
  return params.spike.halfWindowMs + Math.max(0, params.imputation.toOffsetMs);
}

/** How far back a row's cleaning looks, apart from the warm-up carry, ms (6 min by default). */
export function cleanerLookbehindMs(params: CleaningParams = defaultCleaningParams): number {
  return params.spike.halfWindowMs + Math.max(0, -params.imputation.fromOffsetMs);
}

/** The rows the state still holds: the service commits below the oldest one's offset. */
export function retainedRows<R extends SensorRow>(state: StreamingCleanerState<R>): readonly R[] {
  return state.rows;
}

/**
 * Null when a row at `timeMs` can still be cleaned in context, else why not: it is more than the
 * late retention behind the rows already emitted, so the rows around it are no longer held.
 *
 * @example tooLateForCleaner(state, row.timeMs) // "… is 45 min behind …" → dead-letter it
 */
export function tooLateForCleaner<R extends SensorRow>(
  state: StreamingCleanerState<R>,
  timeMs: number,
  params: StreamingCleanerParams = defaultStreamingCleanerParams,
): string | null {
  const emitted = state.emittedUpToMs;
  if (emitted === null || timeMs >= emitted - params.lateRetentionMs) return null;
  const behindMin = Math.round((emitted - timeMs) / MINUTE_MS);
  return (
    `too late: ${new Date(timeMs).toISOString()} is ${behindMin} min behind the minutes already cleaned ` +
    `(up to ${new Date(emitted).toISOString()}), beyond the ${params.lateRetentionMs / MINUTE_MS} min kept as context`
  );
}

/**
 * Adds rows (any order; a row with an already held time replaces it) and returns the cleaned rows
 * that became final, ascending; rows already emitted are emitted again when a late row changes
 * them (consumers upsert by time). Rows {@link tooLateForCleaner} are ignored: the caller
 * dead-letters them. Mutates `state`.
 *
 * @example pushRows(state, chunk, maxTimeSeen - 2 * 60_000) // cleaned rows with t + 5 min ≤ watermark
 */
export function pushRows<R extends SensorRow>(
  state: StreamingCleanerState<R>,
  rows: readonly R[],
  watermarkMs: number,
  params: StreamingCleanerParams = defaultStreamingCleanerParams,
): CleanSensorRow[] {
  const lookaheadMs = cleanerLookaheadMs(params.cleaning);
  let lateFromMs = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    if (tooLateForCleaner(state, row.timeMs, params) !== null) continue;
    insertRow(state.rows, row);
    // Rows emitted within its lookahead read it: they were provisional (an idle flush, or a row
    // that arrived out of order) and are cleaned and emitted again.
    if (state.emittedUpToMs !== null && row.timeMs - lookaheadMs <= state.emittedUpToMs) lateFromMs = Math.min(lateFromMs, row.timeMs);
  }
  const frontier = watermarkMs - lookaheadMs;
  return emit(state, Math.max(frontier, state.emittedUpToMs ?? Number.NEGATIVE_INFINITY), lateFromMs, params);
}

/**
 * Finalises every held row not yet emitted (idle timeout or end of input) and returns them.
 * Mutates `state`.
 *
 * @example flushRows(state) // the tail rows, cleaned without later context
 */
export function flushRows<R extends SensorRow>(
  state: StreamingCleanerState<R>,
  params: StreamingCleanerParams = defaultStreamingCleanerParams,
): CleanSensorRow[] {
  const last = state.rows[state.rows.length - 1];
  if (last === undefined) return [];
  return emit(state, Math.max(last.timeMs, state.emittedUpToMs ?? Number.NEGATIVE_INFINITY), Number.POSITIVE_INFINITY, params, true);
}

function emit<R extends SensorRow>(
  state: StreamingCleanerState<R>,
  newEmittedUpToMs: number,
  lateFromMs: number,
  params: StreamingCleanerParams,
  flushing = false,
): CleanSensorRow[] {
  const rows = state.rows;
  const previous = state.emittedUpToMs ?? Number.NEGATIVE_INFINITY;
  const lookaheadMs = cleanerLookaheadMs(params.cleaning);
  // Emit rows in (previous, newEmittedUpTo], and again from (late − lookahead) when a late row came.
  const emitFromMs = Number.isFinite(lateFromMs) ? Math.min(lateFromMs - lookaheadMs, nextAfter(previous)) : nextAfter(previous);
  const first = lowerBound(rows, emitFromMs);
  const end = upperBound(rows, newEmittedUpToMs);
  let out: CleanSensorRow[] = [];
  if (first < end) {
    const from = lowerBound(rows, rows[first]!.timeMs - cleanerLookbehindMs(params.cleaning));
    const to = flushing ? rows.length : upperBound(rows, rows[end - 1]!.timeMs + lookaheadMs);
    const carry = foldCarry(state.carry, rows, 0, from, params.cleaning.warmUp);
    // Context rows are cleaned too but only the emitted ones become output rows.
    out = cleanRows(cleanSortedColumns(rows.slice(from, to), params.cleaning, carry, workspace), first - from, end - from);
  }
  state.emittedUpToMs = Math.max(previous, newEmittedUpToMs);
  prune(state, params);
  return out;
}

/** Drops rows no longer needed as context, folding them into the warm-up carry. */
function prune<R extends SensorRow>(state: StreamingCleanerState<R>, params: StreamingCleanerParams): void {
  if (state.emittedUpToMs === null) return;
  const lookbehindMs = cleanerLookbehindMs(params.cleaning);
  const keepFromMs = state.emittedUpToMs - lookbehindMs - params.lateRetentionMs;
  let drop = lowerBound(state.rows, keepFromMs);
  // Keep earlier rows while a fresh state starting at rows[drop] would not reach the same warm-up
  // state before the context of the first row not yet emitted (bounded by maxWarmUpContextMs).
  const syncedByMs = state.emittedUpToMs - lookbehindMs;
  const minDrop = lowerBound(state.rows, state.emittedUpToMs - params.maxWarmUpContextMs);
  while (drop > minDrop && !(freshWarmUpSyncedMs(state.rows, drop, params.cleaning.warmUp) <= syncedByMs)) drop--;
  if (drop === 0) return;
  state.carry = foldCarry(state.carry, state.rows, 0, drop, params.cleaning.warmUp);
  state.rows.splice(0, drop);
}

/**
 * Time of the last row whose NO2 warm-up decision may differ between a state that saw every row
 * and a fresh state whose first row is rows[from]: the fresh walk agrees from the first session
 * break on, or once it has counted `warmUpValues` NO2 values. −∞ when nothing can differ, +∞ when
 * the held rows never reach agreement.
 */
function freshWarmUpSyncedMs(rows: readonly SensorRow[], from: number, params: No2WarmUpParams): number {
  if (params.warmUpValues <= 0) return Number.NEGATIVE_INFINITY;
  let seen = 0;
  for (let i = from; i < rows.length; i++) {
    const row = rows[i]!;
    if (i > from && row.timeMs - rows[i - 1]!.timeMs > params.maxSessionGapMs) return rows[i - 1]!.timeMs;
    if (row.no2 !== null && ++seen >= params.warmUpValues) return row.timeMs;
  }
  return Number.POSITIVE_INFINITY;
}

/** The warm-up carry after rows[from, to), the same walk as {@link dropNo2WarmUp}. */
function foldCarry(carry: No2WarmUpCarry, rows: readonly SensorRow[], from: number, to: number, params: No2WarmUpParams): No2WarmUpCarry {
  let { lastTimeMs, no2ValuesInSession: seen } = carry;
  for (let i = from; i < to; i++) {
    const row = rows[i]!;
    if (lastTimeMs === null || row.timeMs - lastTimeMs > params.maxSessionGapMs) seen = 0;
    lastTimeMs = row.timeMs;
    if (row.no2 !== null && seen < params.warmUpValues) seen++;
  }
  return { lastTimeMs, no2ValuesInSession: seen };
}

function insertRow<R extends SensorRow>(rows: R[], row: R): void {
  const last = rows[rows.length - 1];
  if (last === undefined || last.timeMs < row.timeMs) {
    rows.push(row);
    return;
  }
  const i = lowerBound(rows, row.timeMs);
  if (rows[i]?.timeMs === row.timeMs) rows[i] = row;
  else rows.splice(i, 0, row);
}

/** First index whose time is ≥ t. */
function lowerBound(rows: readonly SensorRow[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.timeMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > t. */
function upperBound(rows: readonly SensorRow[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.timeMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest time strictly after t (times are integer ms). */
function nextAfter(t: number): number {
  return Number.isFinite(t) ? t + 1 : t;
}
