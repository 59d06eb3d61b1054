import * as Plot from '@observablehq/plot';
import type { ParticipantSummary } from '../day/types.js';
import { element } from './html.js';

export interface ParticipantsViewOptions {
  readonly document: Document;
  readonly width: number;
  readonly hrefFor: (participant: string, day: string) => string;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** Coverage of every participant-day as cells (aria-description `coverage`), darker = more minutes measured. */
export function coverageChart(participants: readonly ParticipantSummary[], options: Omit<ParticipantsViewOptions, 'hrefFor'>): SVGSVGElement | HTMLElement {
  const cells = participants.flatMap((p) => p.days.map((d) => ({ participant: p.participant, day: d.day, coverage: d.coverage, minutes: d.measuredMinutes })));
  const days = [...new Set(cells.map((c) => c.day))].sort();
  return Plot.plot({
    document: options.document,
    width: Math.min(options.width, 220 + days.length * 90),
    height: 40 + participants.length * 24,
    marginLeft: 220,
    padding: 0.08,
    x: { domain: days, label: null, axis: 'top' },
    y: { domain: participants.map((p) => p.participant), label: null },
    color: { type: 'linear', domain: [0, 1], range: ['#f1f4f9', '#1f4e9c'], legend: true, label: 'coverage (minutes measured / day)', tickFormat: '.0%' },
    marks: [
      Plot.cell(cells, { x: 'day', y: 'participant', fill: 'coverage', title: (c) => `${c.participant} ${c.day}: ${c.minutes} min measured (${percent(c.coverage)})`, ariaDescription: 'coverage' }),
      Plot.text(cells, { x: 'day', y: 'participant', text: (c) => percent(c.coverage), fill: (c) => (c.coverage > 0.5 ? 'white' : 'black'), ariaDescription: 'coverage values' }),
    ],
  });
}

/** The overview: the coverage chart, then one table row per participant-day linking to its view. */
export function participantsView(participants: readonly ParticipantSummary[], options: ParticipantsViewOptions): HTMLElement {
  const { document } = options;
  const th = (text: string) => element(document, 'th', { scope: 'col' }, [text]);
  const td = (text: string | number, cls = 'number') => element(document, 'td', { class: cls }, [String(text)]);
  const rows = participants.flatMap((p) =>
    p.days.map((d) =>
      element(document, 'tr', { 'data-participant': p.participant, 'data-day': d.day }, [
        element(document, 'th', { scope: 'row' }, [p.participant]),
        element(document, 'td', {}, [element(document, 'a', { href: options.hrefFor(p.participant, d.day) }, [d.day])]),
        element(document, 'td', { class: 'coverage-cell' }, [
          element(document, 'span', { class: 'bar', style: `width:${Math.round(d.coverage * 100)}%` }),
          element(document, 'span', { class: 'bar-label' }, [`${percent(d.coverage)} (${d.measuredMinutes} of ${d.dayLengthMinutes} min)`]),
        ]),
        td(d.imputedMinutes),
        td(d.flaggedMinutes),
        td(d.segments),
        td(d.needsReviewSegments),
        td(d.gpsFixes),
      ]),
    ),
  );
  return element(document, 'article', { class: 'participants-view' }, [
    element(document, 'h1', {}, ['Participants and days']),
    element(document, 'p', { class: 'summary' }, [
      `${participants.length} participants, ${participants.reduce((n, p) => n + p.days.length, 0)} participant-days. Coverage: cleaned sensor minutes of the local day. Open a day for its series, map, exposure and data quality.`,
    ]),
    participants.length === 0 ? element(document, 'p', {}, ['The warehouse holds no participant yet.']) : element(document, 'figure', { class: 'chart', 'data-chart': 'coverage' }, [coverageChart(participants, options)]),
    element(document, 'table', { class: 'days', 'aria-label': 'participant days' }, [
      element(document, 'thead', {}, [element(document, 'tr', {}, ['participant', 'day', 'coverage', 'imputed min', 'flagged min', 'segments', 'need review', 'GPS fixes'].map(th))]),
      element(document, 'tbody', {}, rows),
    ]),
  ]);
}
