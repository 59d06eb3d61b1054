/**
 * The rejects file of a load: one CSV line per rejected input line, with its line number in the
 * input, the column at fault (empty for the whole line), the reason, then the original values
 * under the input's own header names.
 */
import type { RejectedRow } from './validate-row.js';

const NEEDS_QUOTES = /[",\r\n]/;

function field(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header line of a rejects file, ended by `\n`. */
export function rejectsHeaderLine(inputHeader: readonly string[]): string {
  return ['line', 'column', 'reason', ...inputHeader].map(field).join(',') + '\n';
}

/**
 * One rejects line, ended by `\n`.
 *
 * @example rejectsLine(7, { column: 'lat', reason: 'latitude 200 is outside [-90, 90]' }, ['p1', '200'])
 *   // '7,lat,"latitude 200 is outside [-90, 90]",p1,200\n'
 */
export function rejectsLine(line: number, rejected: RejectedRow, fields: readonly string[]): string {
  return [String(line), rejected.column ?? '', rejected.reason, ...fields].map(field).join(',') + '\n';
}
