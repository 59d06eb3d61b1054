/**
 * Length of the intersection of a half-open segment [segmentStartMs, segmentEndMs) with a closed
 * episode [episodeStartMs, episodeEndMs] (an episode runs from its first to its last point), ms.
 * A single-point episode has length 0 and so never covers any of a segment.
 *
 * @example intervalOverlapMs(0, 300_000, 120_000, 900_000) // 180_000
 */
export function intervalOverlapMs(segmentStartMs: number, segmentEndMs: number, episodeStartMs: number, episodeEndMs: number): number {
  return Math.max(0, Math.min(segmentEndMs, episodeEndMs) - Math.max(segmentStartMs, episodeStartMs));
}

/**
 * Whether a half-open segment [segmentStartMs, segmentEndMs) and a closed episode
 * [episodeStartMs, episodeEndMs] share at least one instant (a single-point episode inside the
 * segment counts; an episode starting exactly at the segment's end does not).
 *
 * @example intervalsIntersect(0, 300_000, 300_000, 400_000) // false
 */
export function intervalsIntersect(segmentStartMs: number, segmentEndMs: number, episodeStartMs: number, episodeEndMs: number): boolean {
  return episodeStartMs < segmentEndMs && episodeEndMs >= segmentStartMs;
}
