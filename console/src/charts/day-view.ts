/**
 * The participant-day view as one element, built in any document: the page renders it in the
 * browser, `polluscope report` in linkedom's document in Node, from the same functions.
 */
import { POLLUTANTS, type ParticipantDay } from '../day/types.js';
import { labelBandsChart } from './bands-chart.js';
import { coverageText, exposureChart } from './exposure-chart.js';
import { element, type Child } from './html.js';
import { mapCaption, trajectoryMap } from './map-chart.js';
import { qualityPanel } from './quality-panel.js';
import { pollutantChart } from './series-chart.js';

export interface DayViewOptions {
  readonly document: Document;
  /** Content width in pixels. */
  readonly width: number;
  readonly tileUrl?: string | null;
  /** Links back to the overview (absent in the report). */
  readonly overviewHref?: string;
  /** Links to the participant's other days (absent in the report). */
  readonly dayHref?: (participant: string, day: string) => string;
  /** Link to the day's review queue (only where the console has review). */
  readonly reviewHref?: (participant: string, day: string) => string;
}

/** The participant's days as links, the one shown as plain text. */
function otherDays(day: ParticipantDay, document: Document, dayHref: (participant: string, day: string) => string): HTMLElement | null {
  if (day.participantDays.length < 2) return null;
  return element(document, 'nav', { class: 'days-nav', 'aria-label': 'days of this participant' }, [
    'Days: ',
    ...day.participantDays.flatMap((d, i) => [
      i > 0 ? ' · ' : null,
      d === day.day ? element(document, 'strong', {}, [d]) : element(document, 'a', { href: dayHref(day.participant, d) }, [d]),
    ]),
  ]);
}

const figure = (document: Document, chart: string, content: Child, caption?: string) =>
  element(document, 'figure', { class: 'chart', 'data-chart': chart }, [content, caption ? element(document, 'figcaption', {}, [caption]) : null]);

function summaryLine(day: ParticipantDay): string {
  const needsReview = day.segments.filter((s) => s.needsReview).length;
  const lengthMinutes = Math.round((day.dayEndMs - day.dayStartMs) / 60_000);
  return [
    `${day.minutes.length} of ${lengthMinutes} minutes measured (${Math.round((100 * day.minutes.length) / lengthMinutes)} %)`,
    `${day.segments.length} timeline segments, ${needsReview} flagged for review`,
    `${day.fixes.length} GPS fixes, ${day.stops.length} stops`,
    `times in ${day.timeZone}`,
  ].join(' · ');
}

export function dayView(day: ParticipantDay, options: DayViewOptions): HTMLElement {
  const { document, width } = options;
  const chartOptions = { document, width };
  const section = (id: string, title: string, children: readonly Child[]) => element(document, 'section', { id, class: 'panel' }, [element(document, 'h2', {}, [title]), ...children]);
  return element(document, 'article', { class: 'day-view', 'data-participant': day.participant, 'data-day': day.day }, [
    element(document, 'header', {}, [
      options.overviewHref ? element(document, 'a', { href: options.overviewHref, class: 'back' }, ['← participants and days']) : null,
      element(document, 'h1', {}, [`${day.participant} · ${day.day}`]),
      element(document, 'p', { class: 'summary' }, [summaryLine(day)]),
      options.dayHref ? otherDays(day, document, options.dayHref) : null,
      options.reviewHref && day.segments.some((s) => s.needsReview)
        ? element(document, 'p', { class: 'review-link' }, [element(document, 'a', { href: options.reviewHref(day.participant, day.day) }, ['Review the flagged segments of this day →'])])
        : null,
    ]),
    section('series', 'Pollutants and micro-environments', [
      element(document, 'p', { class: 'legend-note' }, [
        'Bands: the label declared by the volunteer, predicted from the sensors, and final after fusion with GPS (▲ flagged for review). ',
        'Series: cleaned minutes; grey dots imputed; red circles flagged minutes with a value (kept, or imputed after removal), red rules flagged minutes left without one.',
      ]),
      figure(document, 'bands', labelBandsChart(day, chartOptions)),
      ...POLLUTANTS.map((p) => figure(document, p, pollutantChart(day, p, chartOptions))),
    ]),
    section('map', 'Trajectory', [figure(document, 'map', trajectoryMap(day, { ...chartOptions, tileUrl: options.tileUrl ?? null }), mapCaption(day, width))]),
    section('exposure', 'Exposure by micro-environment', [
      element(document, 'p', { class: 'coverage' }, [coverageText(day)]),
      figure(document, 'exposure', exposureChart(day, chartOptions), 'Share of the measured time, and of each pollutant’s time-integrated concentration (concentration × minutes; not an inhaled dose).'),
    ]),
    section('quality', 'Data quality', [qualityPanel(day, document)]),
  ]);
}
