/**
 * The rejects file of a load: one CSV line per rejected input line, with its line number in the
 * input, the column at fault (empty for the whole line), the reason, then the original values
 * under the input's own header names. People open it in a spreadsheet, so no cell may start a
 * formula there (OWASP, "CSV Injection").
 */
import type { RejectedRow } from './validate-row.js';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * First characters a spreadsheet may read as the start of a formula (=, +, -, @, tab, carriage
 * return), and the quote itself, so that the rule for reading a value back has no exception:
 * a cell starting with ' had one added; drop it.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

/**
 * One cell of the rejects file: a value that could start a formula gets a leading ' and quotes
 * (so the spreadsheet shows it as text); any value with a comma, quote or line break is quoted.
 *
 * @example rejectsCell("=cmd|' /C calc'!A0") // `"'=cmd|' /C calc'!A0"`
 */
export function rejectsCell(text: string): string {
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const field = rejectsCell;

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
