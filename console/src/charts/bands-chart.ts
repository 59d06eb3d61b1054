import * as Plot from '@observablehq/plot';
import type { ParticipantDay, TimelineSegment } from '../day/types.js';
import { clockTime, dayAxis, TIME_CHART_MARGINS } from './day-axis.js';
import { labelColourScale } from './label-colours.js';
import type { ChartOptions } from './series-chart.js';

/** The three label rows, top to bottom. */
export const BAND_LAYERS = ['declared', 'predicted', 'final'] as const;
export type BandLayer = (typeof BAND_LAYERS)[number];

const labelOf = (segment: TimelineSegment, layer: BandLayer): string | null =>
  layer === 'declared' ? segment.declaredLabel : layer === 'predicted' ? segment.predictedLabel : segment.finalLabel;

interface Band {
  readonly layer: BandLayer;
  readonly start: Date;
  readonly end: Date;
  readonly label: string;
  readonly title: string;
}

/** A layer's bands: one per segment that has a label there (no declaration, no prediction: blank). */
export function bandsOf(day: ParticipantDay, layer: BandLayer): Band[] {
  return day.segments.flatMap((s) => {
    const label = labelOf(s, layer);
    if (label === null) return [];
    const confidence = layer === 'final' && s.confidence !== null ? `, ${s.source} ${(s.confidence * 100).toFixed(0)} %` : '';
    return [{ layer, start: new Date(s.startMs), end: new Date(s.endMs), label, title: `${clockTime(s.startMs, day.timeZone)} ${layer}: ${label}${confidence}` }];
  });
}

/**
 * The micro-environment bands over the day, declared / predicted / final, on the series' time
 * axis, with a legend of the labels present; segments flagged for review are marked ▲ under the
 * final row. One rect per labelled segment per row (aria-descriptions `declared band`, …).
 */
export function labelBandsChart(day: ParticipantDay, options: ChartOptions): SVGSVGElement | HTMLElement {
  const bands = BAND_LAYERS.map((layer) => bandsOf(day, layer));
  const colour = labelColourScale(bands.flat().map((b) => b.label));
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 120,
    ...TIME_CHART_MARGINS,
    marginBottom: 28,
    x: dayAxis(day),
    y: { domain: [...BAND_LAYERS], label: null, tickSize: 0 },
    color: { type: 'ordinal', ...colour, legend: true },
    marks: [
      ...BAND_LAYERS.map((layer, i) =>
        // crispEdges: no hairline gaps between adjacent segments.
        Plot.barX(bands[i]!, { x1: 'start', x2: 'end', y: 'layer', fill: 'label', title: 'title', inset: 0, shapeRendering: 'crispEdges', ariaDescription: `${layer} band` }),
      ),
      Plot.dot(
        day.segments.filter((s) => s.needsReview),
        { x: (s) => new Date((s.startMs + s.endMs) / 2), y: () => 'final', dy: 14, symbol: 'triangle', r: 2.5, fill: '#d62728', title: () => 'needs review', ariaDescription: 'needs review' },
      ),
    ],
  });
}
