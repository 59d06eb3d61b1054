import { VARIABLE_LABELS, type ParticipantDay } from '../day/types.js';
import { element } from './html.js';

const flagText = (flagged: Readonly<Record<string, number>>): string =>
  Object.entries(flagged)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([flag, n]) => `${flag} ${n}`)
    .join(', ') || '–';

/**
 * The data-quality panel: per variable, the day's minutes with a value, imputed, flagged (by flag)
 * and missing; then the GPS fixes kept, outside the study grid, and dropped by reason when known.
 */
export function qualityPanel(day: ParticipantDay, document: Document): HTMLElement {
  const q = day.quality;
  const cell = (text: string | number, cls?: string) => element(document, 'td', cls ? { class: cls } : {}, [String(text)]);
  const rows = q.variables.map((v) =>
    element(document, 'tr', { 'data-variable': v.variable }, [
      element(document, 'th', { scope: 'row' }, [`${VARIABLE_LABELS[v.variable].name} (${VARIABLE_LABELS[v.variable].unit})`]),
      cell(v.withValue, 'number'),
      cell(v.imputed, 'number'),
      cell(Object.values(v.flagged).reduce((a, b) => a + b, 0), 'number'),
      cell(flagText(v.flagged)),
      cell(q.minutes - v.withValue, 'number'),
    ]),
  );
  const sensors = element(document, 'table', { class: 'quality', 'aria-label': 'sensor quality' }, [
    element(document, 'caption', {}, [`${q.minutes} cleaned sensor minutes; counts are minutes.`]),
    element(document, 'thead', {}, [
      element(document, 'tr', {}, ['variable', 'with a value', 'imputed', 'flagged', 'flags', 'without a value'].map((h) => element(document, 'th', { scope: 'col' }, [h]))),
    ]),
    element(document, 'tbody', {}, rows),
  ]);
  const g = q.gps;
  const dropped =
    g.droppedByReason === null
      ? 'not kept in the warehouse (the gps-preprocessing metric polluscope_gps_points_dropped_total counts them by reason)'
      : flagText(g.droppedByReason);
  const gps = element(document, 'table', { class: 'quality', 'aria-label': 'gps quality' }, [
    element(document, 'tbody', {}, [
      element(document, 'tr', {}, [element(document, 'th', { scope: 'row' }, ['GPS fixes kept']), cell(g.keptFixes, 'number')]),
      element(document, 'tr', {}, [element(document, 'th', { scope: 'row' }, ['outside the study grid']), cell(g.outsideGrid, 'number')]),
      element(document, 'tr', {}, [element(document, 'th', { scope: 'row' }, ['raw fixes']), cell(g.rawFixes ?? '–', 'number')]),
      element(document, 'tr', {}, [element(document, 'th', { scope: 'row' }, ['dropped, by reason']), cell(dropped)]),
    ]),
  ]);
  return element(document, 'div', { class: 'quality-panel' }, [sensors, gps]);
}
