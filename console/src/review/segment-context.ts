import type { ParticipantDay } from '../day/types.js';
import type { ReviewItem } from './types.js';

/** Minutes of context on each side of a reviewed segment, for the series. */
export const CONTEXT_MARGIN_MS = 30 * 60_000;

/**
 * A segment's context as a small "day" the day view's charts draw: the pollutant minutes and the
 * timeline segments from `marginMs` before to `marginMs` after it, and the GPS fixes and stops of
 * the segment itself (the map shows where it happened).
 */
export function segmentContext(day: ParticipantDay, item: Pick<ReviewItem, 'startMs' | 'endMs'>, marginMs = CONTEXT_MARGIN_MS): ParticipantDay {
  const from = item.startMs - marginMs;
  const to = item.endMs + marginMs;
  return {
    ...day,
    dayStartMs: from,
    dayEndMs: to,
    minutes: day.minutes.filter((m) => m.timeMs >= from && m.timeMs < to),
    segments: day.segments.filter((s) => s.endMs > from && s.startMs < to),
    fixes: day.fixes.filter((f) => f.timeMs >= item.startMs && f.timeMs < item.endMs),
    stops: day.stops.filter((s) => s.endMs > item.startMs && s.startMs < item.endMs),
  };
}
