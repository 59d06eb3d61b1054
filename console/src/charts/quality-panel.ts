import { VARIABLE_LABELS, type ParticipantDay } from '../day/types.js';
import { element } from './html.js';

const flagText = (flagged: Readonly<Record<string, number>>): string =>
  Object.entries(flagged)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([flag, n]) => `${flag} ${n}`)
    .join(', ') || '–';

/** The reasons the GPS cleaner drops a fix for, each shown even at 0 (gps_quality_daily's). */
const GPS_DROP_REASONS = ['too-fast', 'duplicate', 'same-time'] as const;

const shareText = (n: number, of: number | null): string => (of === null || of === 0 ? '' : `${((100 * n) / of).toFixed(1)} %`);

/**
 * The data-quality panel: per variable, the day's minutes with a value, imputed, flagged (by flag)
 * and missing; then the GPS fixes the cleaner received, kept, outside the study grid, and dropped
 * by reason, each with its share of those received.
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
  const gpsRow = (key: string, label: string, n: number | string, share: string) =>
    element(document, 'tr', { 'data-gps': key }, [element(document, 'th', { scope: 'row' }, [label]), cell(n, 'number'), cell(share, 'number')]);
  const droppedRows =
    g.droppedByReason === null
      ? [gpsRow('dropped', 'dropped', '–', 'not read')]
      : [...GPS_DROP_REASONS, ...Object.keys(g.droppedByReason).filter((r) => !(GPS_DROP_REASONS as readonly string[]).includes(r)).sort()].map((reason) => {
          const n = g.droppedByReason?.[reason] ?? 0;
          return gpsRow(`dropped:${reason}`, `dropped: ${reason}`, n, shareText(n, g.rawFixes));
        });
  const gps = element(document, 'table', { class: 'quality', 'aria-label': 'gps quality' }, [
    element(document, 'caption', {}, ['GPS fixes the cleaner received, kept and dropped; shares of those received.']),
    element(document, 'tbody', {}, [
      gpsRow('received', 'GPS fixes received', g.rawFixes ?? '–', ''),
      gpsRow('kept', 'kept', g.keptFixes, shareText(g.keptFixes, g.rawFixes)),
      gpsRow('outside-grid', 'kept, outside the study grid', g.outsideGrid, shareText(g.outsideGrid, g.rawFixes)),
      ...droppedRows,
    ]),
  ]);
  return element(document, 'div', { class: 'quality-panel' }, [sensors, gps]);
}
