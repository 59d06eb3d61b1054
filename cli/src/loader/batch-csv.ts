/**
 * The CSV text of a batch of validated rows in a raw table's COPY column order, as
 * `copyCsvIntoRaw` reads it: a header line, `null` as an unquoted empty cell (SQL NULL), text
 * quoted only when it holds a comma, a quote or a line break (an empty text is `""`).
 */
import type { Cell } from './validate-row.js';
import { RAW_TABLES, type RawKind } from './raw-tables.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell. */
export function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (cell.length === 0) return '""';
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One CSV line (without its line break). */
export function csvLine(cells: readonly Cell[]): string {
  let line = csvCell(cells[0] ?? null);
  for (let i = 1; i < cells.length; i++) line += ',' + csvCell(cells[i] ?? null);
  return line;
}

/**
 * The header line and one line per row, each ended by `\n`.
 *
 * @example batchCsv('gps', [['p1', null, '2019-01-01T00:00:00.000Z', '48.8', '2.3']])
 *   // 'participant_virtual_id,tablet_id,time,lat,lon\np1,,2019-01-01T00:00:00.000Z,48.8,2.3\n'
 */
export function batchCsv(kind: RawKind, rows: readonly (readonly Cell[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = RAW_TABLES[kind].columns.join(',');
  for (let i = 0; i < rows.length; i++) lines[i + 1] = csvLine(rows[i] ?? []);
  return lines.join('\n') + '\n';
}

/** The same text from lines already made by `csvLine`. */
export function batchCsvFromLines(kind: RawKind, lines: readonly string[]): string {
  const header = RAW_TABLES[kind].columns.join(',');
  return lines.length === 0 ? `${header}\n` : `${header}\n${lines.join('\n')}\n`;
}
