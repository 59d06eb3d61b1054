/**
 * The figure the study publishes is a micro-environment's share of a person's exposure (e.g. the
 * Métro's share of a day's PM2.5), not a label per segment: wrong labels move exposure between
 * micro-environments. This scores that directly, per participant-day:
 * - `misattributed`: the share of the day's time-integrated concentration put in a wrong
 *   micro-environment (total variation distance between true and predicted shares, 0…1);
 * - per label, the absolute error of its share, over the days where it has a true or predicted share.
 * Each segment weighs its mean concentration (segments are equally long); segments without the
 * pollutant are left out.
 */
export interface ExposureSegment {
  /** Participant-day (or any unit whose shares are reported). */
  readonly day: string;
  readonly label: string;
  /** Mean concentration of the segment, or null when not measured. */
  readonly concentration: number | null;
}

export interface DayShareErrors {
  readonly day: string;
  readonly misattributed: number;
  /** |predicted share − true share| per label with a true or predicted share that day. */
  readonly labelErrors: Readonly<Record<string, number>>;
}

/**
 * @example exposureShareErrors([{ day: 'p1 d1', label: 'Métro', concentration: 30 }, { day: 'p1 d1', label: 'Walk', concentration: 10 }], ['Métro', 'Métro'])
 *   // [{ day: 'p1 d1', misattributed: 0.25, labelErrors: { Métro: 0.25, Walk: 0.25 } }]
 */
export function exposureShareErrors(segments: readonly ExposureSegment[], predicted: readonly (string | null)[]): DayShareErrors[] {
  const days = new Map<string, { truth: Map<string, number>; predicted: Map<string, number>; total: number }>();
  segments.forEach((s, i) => {
    // Negative means (BC noise) add no exposure.
    const c = s.concentration === null ? null : Math.max(0, s.concentration);
    if (c === null) return;
    const day = days.get(s.day) ?? { truth: new Map(), predicted: new Map(), total: 0 };
    const p = predicted[i] ?? 'none';
    day.truth.set(s.label, (day.truth.get(s.label) ?? 0) + c);
    day.predicted.set(p, (day.predicted.get(p) ?? 0) + c);
    day.total += c;
    days.set(s.day, day);
  });
  const out: DayShareErrors[] = [];
  for (const [day, d] of days) {
    if (d.total === 0) continue;
    const labelErrors: Record<string, number> = {};
    let sum = 0;
    for (const label of new Set([...d.truth.keys(), ...d.predicted.keys()])) {
      const error = Math.abs((d.predicted.get(label) ?? 0) - (d.truth.get(label) ?? 0)) / d.total;
      labelErrors[label] = error;
      sum += error;
    }
    out.push({ day, misattributed: sum / 2, labelErrors });
  }
  return out;
}

/**
 * Means over days: `misattributed`, and `share error <label>` over the days where the label has a
 * share; the figures the participant bootstrap resamples.
 */
export function meanShareErrors(days: readonly DayShareErrors[]): Record<string, number> {
  if (days.length === 0) return {};
  const figures: Record<string, number> = { misattributed: days.reduce((a, d) => a + d.misattributed, 0) / days.length };
  const sums = new Map<string, { sum: number; n: number }>();
  for (const d of days) {
    for (const [label, e] of Object.entries(d.labelErrors)) {
      const s = sums.get(label) ?? { sum: 0, n: 0 };
      sums.set(label, { sum: s.sum + e, n: s.n + 1 });
    }
  }
  for (const [label, { sum, n }] of sums) figures[`share error ${label}`] = sum / n;
  return figures;
}
