import * as Plot from '@observablehq/plot';
import { VARIABLE_LABELS, type ParticipantDay, type Pollutant } from '../day/types.js';
import { dayAxis, TIME_CHART_MARGINS } from './day-axis.js';
import { flaggedMinutes, seriesPoints } from './series-points.js';

export interface ChartOptions {
  /** The document to build in: the page's, or linkedom's in Node for the report. */
  readonly document: Document;
  readonly width: number;
}

const FLAG_COLOUR = '#d62728';

/**
 * A pollutant over the day: the cleaned minutes as a line (broken where nothing was measured),
 * imputed minutes as grey dots, flagged minutes in red (a dot where the minute has a value, kept or
 * imputed after removal; a rule where it has none). Marks carry aria-descriptions (`pm25 line`, …)
 * that the browser tests count.
 */
export function pollutantChart(day: ParticipantDay, pollutant: Pollutant, options: ChartOptions): SVGSVGElement | HTMLElement {
  const { name, unit } = VARIABLE_LABELS[pollutant];
  const flagged = flaggedMinutes(day.minutes, pollutant);
  const imputed = day.minutes.filter((m) => m.imputed.includes(pollutant) && m.values[pollutant] !== null);
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 136,
    ...TIME_CHART_MARGINS,
    // Room for the unit label above the highest tick.
    marginTop: 22,
    x: dayAxis(day),
    y: { label: `${name} (${unit})`, grid: true, nice: true, zero: true, labelAnchor: 'top', labelArrow: 'none' },
    marks: [
      Plot.ruleX(
        flagged.filter((f) => f.value === null),
        { x: 'time', stroke: FLAG_COLOUR, strokeOpacity: 0.35, title: (f) => `removed: ${f.flags}`, ariaDescription: `${pollutant} removed` },
      ),
      Plot.lineY(seriesPoints(day.minutes, pollutant), { x: 'time', y: 'value', stroke: '#333', strokeWidth: 1.2, ariaDescription: `${pollutant} line` }),
      Plot.dot(imputed, { x: (m) => new Date(m.timeMs), y: (m) => m.values[pollutant], r: 1.8, fill: '#999', ariaDescription: `${pollutant} imputed` }),
      Plot.dot(
        flagged.filter((f) => f.value !== null),
        { x: 'time', y: 'value', r: 2.5, stroke: FLAG_COLOUR, title: (f) => `flagged: ${f.flags}`, ariaDescription: `${pollutant} flagged` },
      ),
    ],
  });
}
