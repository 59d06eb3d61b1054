/**
 * Whether a record's event time can be a real measurement (docs/design.md §4, "Time sanity"): no
 * Polluscope kit recorded before 2010, and a time ahead of the processing clock by more than a
 * few minutes is a device clock error. Such a record goes alone to the dead-letter topic: let
 * through, it would move its participant's watermark ahead and make every later, correct record
 * of that participant "too late".
 */
export const EARLIEST_EVENT_TIME_MS = Date.UTC(2010, 0, 1);
/** Default tolerance for clocks ahead of the processing clock, ms (10 min). */
export const MAX_EVENT_TIME_AHEAD_MS = 10 * 60_000;

/** The dead-letter reason of a record from the future starts with this word. */
export const FUTURE_REASON = 'future';

/**
 * Null when the time can be a measurement, else the reason, naming the time.
 *
 * @param maxAheadMs how far ahead of `nowMs` a time may be
 * @example eventTimeProblem(0, Date.UTC(2026, 0, 1)) // 'time: before 2010-01-01: 1970-01-01T00:00:00.000Z'
 */
export function eventTimeProblem(timeMs: number, nowMs: number, maxAheadMs = MAX_EVENT_TIME_AHEAD_MS): string | null {
  if (timeMs < EARLIEST_EVENT_TIME_MS) return `time: before 2010-01-01: ${new Date(timeMs).toISOString()}`;
  if (timeMs > nowMs + maxAheadMs) {
    const aheadMin = Math.round((timeMs - nowMs) / 60_000);
    return `${FUTURE_REASON}: time ${new Date(timeMs).toISOString()} is ${aheadMin} min ahead of the processing clock (${new Date(nowMs).toISOString()}), more than the ${maxAheadMs / 60_000} min allowed`;
  }
  return null;
}
