import * as Plot from '@observablehq/plot';
import { POLLUTANTS, VARIABLE_LABELS, type ParticipantDay } from '../day/types.js';
import { labelColourScale } from './label-colours.js';
import type { ChartOptions } from './series-chart.js';

interface ShareBar {
  readonly quantity: string;
  readonly microEnvironment: string;
  readonly share: number;
  readonly title: string;
}

/**
 * Shares of the day by micro-environment: one stacked bar for time (measured minutes) and one per
 * pollutant's time-integrated concentration (exposure_daily's shares). Rects are described
 * `time share` and `<pollutant> share`.
 */
export function shareBars(day: ParticipantDay): ShareBar[] {
  const rows = day.exposure.rows;
  const totalMinutes = rows.reduce((sum, r) => sum + r.minutes, 0);
  const time = rows.map((r) => ({ quantity: 'time', microEnvironment: r.microEnvironment, share: totalMinutes > 0 ? r.minutes / totalMinutes : 0, title: `${r.microEnvironment}: ${Math.round(r.minutes)} min` }));
  const pollutants = POLLUTANTS.flatMap((p) =>
    rows.flatMap((r) => {
      const share = r.shares[p];
      return share === null || share <= 0
        ? []
        : [{ quantity: p, microEnvironment: r.microEnvironment, share, title: `${r.microEnvironment}: ${(share * 100).toFixed(1)} % of ${VARIABLE_LABELS[p].name}, mean ${r.means[p]?.toFixed(1) ?? '–'} ${VARIABLE_LABELS[p].unit}` }];
    }),
  );
  return [...time.filter((t) => t.share > 0), ...pollutants];
}

const QUANTITY_NAMES: Record<string, string> = { time: 'Time', ...Object.fromEntries(POLLUTANTS.map((p) => [p, VARIABLE_LABELS[p].name])) };

export function exposureChart(day: ParticipantDay, options: ChartOptions): SVGSVGElement | HTMLElement {
  const bars = shareBars(day);
  const quantities = ['time', ...POLLUTANTS];
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 40 + quantities.length * 28,
    marginLeft: 60,
    x: { domain: [0, 1], tickFormat: '.0%', label: 'share of the day', grid: true },
    y: { domain: quantities, tickFormat: (q: string) => QUANTITY_NAMES[q] ?? q, label: null },
    color: { type: 'ordinal', ...labelColourScale(day.exposure.rows.map((r) => r.microEnvironment)), legend: true },
    marks: quantities.map((q) =>
      Plot.barX(
        bars.filter((b) => b.quantity === q),
        Plot.stackX({ x: 'share', y: 'quantity', fill: 'microEnvironment', title: 'title', order: (b: ShareBar) => day.exposure.rows.findIndex((r) => r.microEnvironment === b.microEnvironment), inset: 0.5, ariaDescription: `${q} share` }),
      ),
    ),
  });
}

/** "Measured 720 of 1440 min (50 %), labelled 700 min": what the shares rest on. */
export function coverageText(day: ParticipantDay): string {
  const { measuredMinutes, labelledMinutes, dayLengthMinutes } = day.exposure;
  if (measuredMinutes === null || dayLengthMinutes === null) return 'No exposure computed for this day yet.';
  const percent = (x: number) => `${Math.round((100 * x) / dayLengthMinutes)} %`;
  return `Coverage: measured ${Math.round(measuredMinutes)} of ${Math.round(dayLengthMinutes)} min (${percent(measuredMinutes)}), labelled ${Math.round(labelledMinutes ?? 0)} min (${percent(labelledMinutes ?? 0)}). Shares are of the measured time only.`;
}
