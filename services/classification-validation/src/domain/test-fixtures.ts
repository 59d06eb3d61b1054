/** Test fixtures: minutes from a fixed origin and separable labelled samples. */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { ActivitySample } from './model/train-activity-model.js';
import type { MeasuredMinute } from './segments/segment-rows.js';
import { contextFeatures } from './features/context-features.js';
import { segmentFeatures } from './features/view-features.js';

/** Tuesday 2024-03-05 08:00 UTC (09:00 in Paris). */
export const T0_MS = Date.UTC(2024, 2, 5, 8, 0, 0);

export function minute(m: number, values: Partial<Omit<MeasuredMinute, 'timeMs'>> = {}): MeasuredMinute {
  return { timeMs: T0_MS + m * 60_000, pm1: null, pm25: null, pm10: null, no2: null, bc: null, temperature: null, humidity: null, activity: null, ...values };
}

/** Five minutes of a typical environment: Domicile warm and clean, Bus cold with NO2, Métro dusty. */
export function environmentMinutes(label: CanonicalLabel, startMinute: number, jitter: number): MeasuredMinute[] {
  const base: Record<string, [number, number, number]> = { Domicile: [21, 15, 8], Bus: [12, 60, 25], Métro: [18, 30, 90] };
  const [temperature, no2, pm25] = base[label] ?? [0, 0, 0];
  return [0, 1, 2, 3, 4].map((i) =>
    minute(startMinute + i, {
      temperature: temperature + ((i * 7 + jitter) % 5) * 0.2,
      no2: no2 + ((i * 3 + jitter) % 7),
      pm25: pm25 + ((i + jitter) % 4),
      humidity: 45 + ((jitter + i) % 6),
      activity: label,
    }),
  );
}

/** Labelled samples for participants p0…p(n−1), `perLabel` segments of each label each. */
export function separableSamples(participants: number, perLabel: number): ActivitySample[] {
  const samples: ActivitySample[] = [];
  for (let p = 0; p < participants; p++) {
    (['Domicile', 'Bus', 'Métro'] as const).forEach((label, l) => {
      for (let s = 0; s < perLabel; s++) {
        const start = (l * perLabel + s) * 5;
        const startMs = T0_MS + start * 60_000;
        const features = segmentFeatures(environmentMinutes(label, start, p * 11 + s));
        samples.push({ participantId: `p${p}`, segmentStartMs: startMs, label, features, context: contextFeatures(startMs, features) });
      }
    });
  }
  return samples;
}

export const fastTraining = {
  seed: 7,
  forest: { samples: 7, treesPerSample: 1, sampleSize: 90, classWeightExponent: 0.5, maxFeatureShare: 0.6, maxDepth: 6, minNumSamples: 2, bins: 16, headShare: 0.1 },
  metaForest: { samples: 7, treesPerSample: 1, sampleSize: 90, classWeightExponent: 1, maxFeatureShare: 0.5, maxDepth: 6, minNumSamples: 2, bins: 16, headShare: 0.1 },
  stackingFolds: 2,
};
