/**
 * Whether a record's event time can be a real measurement: no Polluscope kit recorded before
 * 2010, and a time more than a day ahead of the processing clock is a device clock error (a
 * year 2100, an unset clock). Both go to the dead-letter topic instead of opening windows decades
 * away from the participant's real data.
 */
export const EARLIEST_EVENT_TIME_MS = Date.UTC(2010, 0, 1);
export const MAX_EVENT_TIME_AHEAD_MS = 24 * 3_600_000;

/**
 * @example eventTimeProblem(0, Date.UTC(2026, 0, 1)) // 'time before 2010-01-01: 1970-01-01T00:00:00.000Z'
 */
export function eventTimeProblem(timeMs: number, nowMs: number): string | null {
  if (timeMs < EARLIEST_EVENT_TIME_MS) return `time before 2010-01-01: ${new Date(timeMs).toISOString()}`;
  if (timeMs > nowMs + MAX_EVENT_TIME_AHEAD_MS) return `time more than a day ahead of the processing clock: ${new Date(timeMs).toISOString()}`;
  return null;
}
