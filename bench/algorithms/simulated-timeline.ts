/** What the timeline benchmarks generate alike: a seeded random source and 5-minute activity segments. */
import type { ActivitySegmentRecord } from '@polluscope/postprocessing/domain';

export const SEGMENT_MS = 5 * 60_000;
export const STOP_LABELS = ['Domicile', 'Bureau', 'Magasin', 'Restaurant', 'Parc'] as const;

/** A deterministic LCG in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** A classified 5-minute segment whose true label is `truth`: mislabelled as a stop 1 time in 5, random means. */
export function simulatedSegment(random: () => number, participant: string, startMs: number, truth: string): ActivitySegmentRecord {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return {
    participant_virtual_id: participant,
    segment_start: startMs,
    segment_end: startMs + SEGMENT_MS,
    minutes: 5,
    predicted_label: random() < 0.2 ? pick(STOP_LABELS) : truth,
    confidence: 0.5 + random() * 0.5,
    declared_label: random() < 0.3 ? truth : null,
    pm1_mean: 5 + random() * 10,
    pm25_mean: 8 + random() * 15,
    pm10_mean: 12 + random() * 20,
    no2_mean: random() < 0.1 ? null : 20 + random() * 30,
    bc_mean: random() < 0.3 ? null : 500 + random() * 3000,
    temperature_mean: 18 + random() * 6,
    humidity_mean: 40 + random() * 20,
  };
}
