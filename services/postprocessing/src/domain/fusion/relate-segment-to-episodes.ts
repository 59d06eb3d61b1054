import { MOVE_MODES, normaliseLabel, type CanonicalLabel } from '@polluscope/common/domain';
import type { GpsEpisodeRecord } from '../records.js';
import { intervalOverlapMs, intervalsIntersect } from './interval-overlap.js';

export interface EpisodeRelationParams {
  /** A move's mode counts only from this transport_probability on, 0..1. */
  readonly minTransportProbability: number;
  /** Qualifying moves of one mode must cover at least this share of the segment's duration, 0..1. */
  readonly minMoveOverlapFraction: number;
  /** A segment is inside a stop when that stop covers at least this share of its duration, 0..1. */
  readonly minStopOverlapFraction: number;
}

export const defaultEpisodeRelationParams: EpisodeRelationParams = Object.freeze({
  minTransportProbability: 0.6,
  minMoveOverlapFraction: 0.5,
  minStopOverlapFraction: 0.5,
});

export interface SegmentEpisodes {
  /** Starts of every episode that intersects the segment, ascending, epoch ms. */
  readonly episodeStartsMs: readonly number[];
  /** The mode GPS gives the segment, or null. */
  readonly move: { readonly mode: CanonicalLabel; readonly confidence: number } | null;
  /** Start of the stop the segment is inside, or null. */
  readonly stopStartMs: number | null;
}

/**
 * Relates one segment [startMs, endMs) to a participant's episodes:
 * - a move qualifies when its transport_mode normalises to a MOVE_MODE and its
 *   transport_probability ≥ minTransportProbability; the segment takes a mode when the qualifying
 *   moves of that mode together cover ≥ minMoveOverlapFraction of the segment (the mode covering
 *   most wins, ties to the earlier move); confidence = the overlap-weighted mean probability of
 *   those moves;
 * - the segment is inside the stop covering most of it (ties to the earlier stop) when that stop
 *   covers ≥ minStopOverlapFraction of it.
 * Coverage uses {@link intervalOverlapMs}; `episodeStartsMs` uses {@link intervalsIntersect}.
 *
 * @example relateSegmentToEpisodes(0, 300_000, [busMove0To600s]).move // { mode: 'Bus', confidence: 0.8 }
 */
export function relateSegmentToEpisodes(
  startMs: number,
  endMs: number,
  episodes: readonly GpsEpisodeRecord[],
  params: EpisodeRelationParams = defaultEpisodeRelationParams,
): SegmentEpisodes {
  const durationMs = endMs - startMs;
  const episodeStartsMs: number[] = [];
  const modes = new Map<CanonicalLabel, { overlapMs: number; weightedProbability: number; firstStartMs: number }>();
  let stop: { startMs: number; overlapMs: number } | null = null;

  for (const episode of episodes) {
    if (!intervalsIntersect(startMs, endMs, episode.episode_start, episode.episode_end)) continue;
    episodeStartsMs.push(episode.episode_start);
    const overlapMs = intervalOverlapMs(startMs, endMs, episode.episode_start, episode.episode_end);
    if (episode.episode_type === 'stop') {
      if (stop === null || overlapMs > stop.overlapMs || (overlapMs === stop.overlapMs && episode.episode_start < stop.startMs)) {
        stop = { startMs: episode.episode_start, overlapMs };
      }
      continue;
    }
    if (episode.episode_type !== 'move') continue;
    const mode = normaliseLabel(episode.transport_mode);
    const probability = episode.transport_probability;
    if (mode === null || !MOVE_MODES.includes(mode) || probability === null || probability < params.minTransportProbability) continue;
    const sum = modes.get(mode) ?? { overlapMs: 0, weightedProbability: 0, firstStartMs: episode.episode_start };
    sum.overlapMs += overlapMs;
    sum.weightedProbability += overlapMs * probability;
    sum.firstStartMs = Math.min(sum.firstStartMs, episode.episode_start);
    modes.set(mode, sum);
  }

  let move: SegmentEpisodes['move'] = null;
  let best: { overlapMs: number; firstStartMs: number } | null = null;
  for (const [mode, sum] of modes) {
    if (sum.overlapMs <= 0 || sum.overlapMs < params.minMoveOverlapFraction * durationMs) continue;
    if (best === null || sum.overlapMs > best.overlapMs || (sum.overlapMs === best.overlapMs && sum.firstStartMs < best.firstStartMs)) {
      best = sum;
      move = { mode, confidence: sum.weightedProbability / sum.overlapMs };
    }
  }

  const inside = stop !== null && stop.overlapMs > 0 && stop.overlapMs >= params.minStopOverlapFraction * durationMs;
  episodeStartsMs.sort((a, b) => a - b);
  return { episodeStartsMs, move, stopStartMs: inside && stop ? stop.startMs : null };
}
