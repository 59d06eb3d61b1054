import { quantileSorted } from 'simple-statistics';
import { mulberry32 } from '@polluscope/common/domain';

export interface BootstrapParams {
  /** Resamples of the participants, with replacement. */
  readonly resamples: number;
  /** 32-bit seed of the resampling: the same seed gives the same intervals. */
  readonly seed: number;
  /** Central share of the resampled values the interval holds (0.95: 2.5 % to 97.5 %). */
  readonly level: number;
}

export const defaultBootstrapParams: BootstrapParams = Object.freeze({ resamples: 1000, seed: 1, level: 0.95 });

/** A figure on every participant, with its percentile interval over participant resamples. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Resamples in which the figure existed (a label's F1 needs the label in the resample). */
  readonly resamples: number;
}

/**
 * Percentile bootstrap over participants (the unit that is independent: a person's segments are
 * not): each resample draws as many participants as there are, with replacement, adds their
 * data with `combine`, and scores it with `figures`. The estimate is the figure on all
 * participants. A figure missing from a resample's result is left out of that resample.
 *
 * @example participantBootstrap(perParticipantCounts, addConfusionCounts, (m) => ({ accuracy: ... }), { resamples: 1000, seed: 1, level: 0.95 }) // { accuracy: { estimate, low, high, resamples } }
 */
export function participantBootstrap<T>(
  perParticipant: readonly T[],
  combine: (parts: readonly T[]) => T,
  figures: (combined: T) => Readonly<Record<string, number>>,
  params: BootstrapParams = defaultBootstrapParams,
): Record<string, Interval> {
  if (perParticipant.length === 0) throw new RangeError('participantBootstrap needs at least one participant');
  const random = mulberry32(params.seed);
  const drawn = new Map<string, number[]>();
  for (let r = 0; r < params.resamples; r++) {
    const sample = perParticipant.map(() => perParticipant[Math.floor(random() * perParticipant.length)]!);
    for (const [name, value] of Object.entries(figures(combine(sample)))) {
      if (!Number.isFinite(value)) continue;
      const values = drawn.get(name) ?? [];
      values.push(value);
      drawn.set(name, values);
    }
  }
  const tail = (1 - params.level) / 2;
  const intervals: Record<string, Interval> = {};
  for (const [name, estimate] of Object.entries(figures(combine(perParticipant)))) {
    const values = (drawn.get(name) ?? []).sort((a, b) => a - b);
    intervals[name] =
      values.length === 0
        ? { estimate, low: Number.NaN, high: Number.NaN, resamples: 0 }
        : { estimate, low: quantileSorted(values, tail), high: quantileSorted(values, 1 - tail), resamples: values.length };
  }
  return intervals;
}
