/**
 * Postprocessing benchmark: timeline fusion (segments/s) of one participant's 5-minute segments
 * with their GPS episodes and a few review decisions, on a generated day-after-day timeline:
 * stops of 20 min–3 h and moves of 5–40 min in turn, sensor labels that sometimes disagree with
 * GPS, 1 % of segments reviewed.
 */
import { MOVE_MODES } from '@polluscope/common/domain';
import { fuseTimeline, type ActivitySegmentRecord, type GpsEpisodeRecord, type ReviewDecisionRecord } from '@polluscope/postprocessing/domain';
import { lcg, SEGMENT_MS, simulatedSegment, STOP_LABELS } from './simulated-timeline.js';
import type { AlgorithmBenchmark } from './types.js';

const T0_MS = Date.UTC(2024, 2, 4, 0, 0);
const MINUTE_MS = 60_000;
const PARTICIPANT = 'p1';

interface FusionInput {
  readonly segments: ActivitySegmentRecord[];
  readonly episodes: GpsEpisodeRecord[];
  readonly decisions: ReviewDecisionRecord[];
}

/** `n` consecutive segments and the episodes covering them. */
function timeline(n: number, seed: number): FusionInput {
  const random = lcg(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const endMs = T0_MS + n * SEGMENT_MS;
  const episodes: GpsEpisodeRecord[] = [];
  for (let t = T0_MS, stop = true; t < endMs; stop = !stop) {
    const durationMs = Math.round((stop ? 20 + random() * 160 : 5 + random() * 35) * MINUTE_MS);
    episodes.push({
      participant_virtual_id: PARTICIPANT,
      episode_start: t,
      episode_end: t + durationMs,
      episode_type: stop ? 'stop' : 'move',
      transport_mode: stop ? null : pick(MOVE_MODES),
      transport_probability: stop ? null : 0.4 + random() * 0.6,
    });
    t += durationMs + MINUTE_MS;
  }
  const segments: ActivitySegmentRecord[] = [];
  const decisions: ReviewDecisionRecord[] = [];
  let episode = 0;
  for (let i = 0; i < n; i++) {
    const start = T0_MS + i * SEGMENT_MS;
    while (episodes[episode]!.episode_end < start) episode++;
    const current = episodes[episode]!;
    const truth = current.episode_type === 'move' ? current.transport_mode! : STOP_LABELS[episode % STOP_LABELS.length]!;
    segments.push(simulatedSegment(random, PARTICIPANT, start, truth));
    if (random() < 0.01) {
      decisions.push({ participant_virtual_id: PARTICIPANT, segment_start: start, label: truth, reviewer: 'bench', comment: null, decided_at: endMs });
    }
  }
  return { segments, episodes, decisions };
}

const fusion: AlgorithmBenchmark = {
  name: 'timeline fusion (segments + GPS episodes + reviews)',
  unit: 'segments',
  // 1 000 segments ≈ 3.5 days, 100 000 ≈ a year. Each segment is compared with every episode,
  // so the cost per segment grows with the length of the series (the service fuses a few days).
  sizes: [1_000, 10_000, 100_000],
  prepare(size) {
    const { segments, episodes, decisions } = timeline(size, 5);
    return () => fuseTimeline(segments, episodes, decisions);
  },
};

export const postprocessingBenchmarks: AlgorithmBenchmark[] = [fusion];
