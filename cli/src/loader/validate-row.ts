/**
 * Row-by-row validation of historical exports before they reach the raw database: each cell is
 * turned into the value binary COPY writes (text trimmed, numbers as numbers, times as epoch
 * milliseconds) or NULL, or the row is rejected with the column and the reason. Pure: no I/O,
 * nothing thrown for bad data.
 */
import { parseTimeMs } from '../csv-io.js';
import type { CopyValue } from './copy-binary.js';
import type { HeaderMapping } from './header-aliases.js';
import type { RawKind } from './raw-tables.js';

/** Why a cell cannot be loaded. */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** A COPY-ready cell: text, a number (epoch milliseconds for a time), or `null` for SQL NULL. */
export type Cell = CopyValue;

/** Texts meaning "no value" (compared in lower case, after trimming). */
const NULL_TEXTS: ReadonlySet<string> = new Set(['', 'nan', 'null', 'none', 'na']);

const LOWER_N = 0x6e;

/** Most cells are short numbers: only a text starting with n/N is looked up (they all do). */
function isNullText(text: string): boolean {
  return text.length === 0 || (text.length <= 4 && (text.charCodeAt(0) | 0x20) === LOWER_N && NULL_TEXTS.has(text.toLowerCase()));
}

/** What a decimal number looks like; here only to word a rejection. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Number() reads, besides decimal text, exactly these forms PostgreSQL would not: `0x…`, `0o…`
 * and `0b…` (unsigned, any case; a sign makes them NaN). Testing for them instead of matching
 * DECIMAL on every cell halves the cost of a number.
 */
function hasRadixPrefix(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 0x30) return false;
  const letter = text.charCodeAt(1) | 0x20;
  return letter === 0x78 || letter === 0x6f || letter === 0x62;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Longest texts loaded, in characters (UTF-16 code units). The columns are `text` in rawdata;
 * the bounds keep one odd line from bloating the tables, the topics and the unique index on
 * (participant, time), whose entries PostgreSQL caps at about 2,700 bytes (a longer id would fail
 * its whole batch).
 */
export const MAX_TEXT_CHARS = Object.freeze({
  /** The review API takes participant ids of up to 200 characters too. */
  participant: 200,
  /** activity and event: labels of the vocabulary have at most 14 characters; free text fits. */
  label: 256,
});

const NUL = '\0';

/** PostgreSQL refuses text holding a NUL (and would fail the whole batch without naming the line). */
function nulReason(text: string): string {
  return `contains a NUL byte (character ${text.indexOf(NUL) + 1})`;
}

/** A participant id: a non-empty text once trimmed, at most MAX_TEXT_CHARS.participant characters, no NUL. */
export function parseParticipantId(text: string): string | Invalid {
  const value = text.trim();
  if (value.length === 0) return new Invalid('empty participant id');
  if (value.length > MAX_TEXT_CHARS.participant) return new Invalid(`participant id of ${value.length} characters, more than ${MAX_TEXT_CHARS.participant}`);
  return value.includes(NUL) ? new Invalid(nulReason(value)) : value;
}

/**
 * A time, ISO-8601 or `YYYY-MM-DD HH:MM:SS` (naive = UTC), as epoch milliseconds.
 *
 * @example parseTimeCell('2019-12-18 19:37:49') // 1576697869000
 */
export function parseTimeCell(text: string): number | Invalid {
  const ms = plainTimeMs(text) ?? parseTimeMs(text);
  return ms === null ? new Invalid(`not a time: "${text}"`) : ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the ASCII digits of `text` from `start` to `end`, or -1 if one is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The common shape of exports, exactly `YYYY-MM-DD HH:MM:SS` (or with a `T`) and a real date and
 * time, read digit by digit: the same milliseconds as parseTimeMs, ten times faster. Anything
 * else (offsets, fractions, padding, out-of-range fields) is left to parseTimeMs: null.
 */
function plainTimeMs(text: string): number | null {
  if (text.length !== 19) return null;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || (separator !== 0x20 && separator !== 0x54)) return null;
  if (text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  // Date.UTC reads years 0-99 as 1900-1999: left to parseTimeMs, as are all oddities.
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > days) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** A finite decimal number, or `null` for empty, nan, null, none and na (any case). */
export function parseOptionalNumber(text: string): number | null | Invalid {
  const value = text.trim();
  if (isNullText(value)) return null;
  const number = Number(value);
  if (Number.isFinite(number) && !hasRadixPrefix(value)) return number;
  return new Invalid(DECIMAL.test(value) ? `not a finite number: "${text}"` : `not a number: "${text}"`);
}

/** A 32-bit integer id (kit, tablet), or `null` when empty. `12.0` is read as 12. */
export function parseOptionalInteger(text: string): number | null | Invalid {
  const value = text.trim();
  if (isNullText(value)) return null;
  const number = hasRadixPrefix(value) ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < INT32_MIN || number > INT32_MAX) return new Invalid(`not an integer id: "${text}"`);
  return number;
}

function parseRequiredInRange(text: string, name: string, min: number, max: number): number | Invalid {
  const number = parseOptionalNumber(text);
  if (number instanceof Invalid) return number;
  if (number === null) return new Invalid(`${name} is missing`);
  return number < min || number > max ? new Invalid(`${name} ${number} is outside [${min}, ${max}]`) : number;
}

/** A latitude in degrees, required, within [-90, 90]. */
export function parseLatitude(text: string): number | Invalid {
  return parseRequiredInRange(text, 'latitude', -90, 90);
}

/** A longitude in degrees, required, within [-180, 180]. */
export function parseLongitude(text: string): number | Invalid {
  return parseRequiredInRange(text, 'longitude', -180, 180);
}

/** Free text (activity, event) of at most MAX_TEXT_CHARS.label characters without NUL, or `null` when empty or a "no value" text. */
export function parseOptionalText(text: string): string | null | Invalid {
  const value = text.trim();
  if (isNullText(value)) return null;
  if (value.length > MAX_TEXT_CHARS.label) return new Invalid(`text of ${value.length} characters, more than ${MAX_TEXT_CHARS.label}`);
  return value.includes(NUL) ? new Invalid(nulReason(value)) : value;
}

type CellParser = (text: string) => Cell | Invalid;

/** The parser of each COPY column, in RAW_TABLES order. */
const CELL_PARSERS: Readonly<Record<RawKind, readonly CellParser[]>> = Object.freeze({
  // participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity, event
  sensor: [
    parseParticipantId,
    parseOptionalInteger,
    parseTimeCell,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalNumber,
    parseOptionalText,
    parseOptionalText,
  ],
  // participant_virtual_id, tablet_id, time, lat, lon
  gps: [parseParticipantId, parseOptionalInteger, parseTimeCell, parseLatitude, parseLongitude],
});

export interface RejectedRow {
  /** The file's header name of the offending column, or null for the whole line. */
  readonly column: string | null;
  readonly reason: string;
}

/**
 * Validates one record (the fields of one CSV line). Returns the COPY cells in the table's
 * column order (RAW_TABLES), or why the line is rejected (the first bad column, in COPY order).
 *
 * @example validateRow(mapHeader('gps', ['participant', 'time', 'lat', 'lon'], 'f'), ['p1', '2019-01-01 00:00:00', '200', '2'])
 *   // { column: 'lat', reason: 'latitude 200 is outside [-90, 90]' }
 */
export function validateRow(mapping: HeaderMapping, fields: readonly string[]): Cell[] | RejectedRow {
  if (fields.length !== mapping.header.length) {
    return { column: null, reason: `expected ${mapping.header.length} fields, found ${fields.length}` };
  }
  const parsers = CELL_PARSERS[mapping.kind];
  const cells: Cell[] = new Array<Cell>(parsers.length);
  for (let i = 0; i < parsers.length; i++) {
    const index = mapping.fieldIndex[i] ?? -1;
    const parse = parsers[i] as CellParser;
    const text = index < 0 ? '' : (fields[index] ?? '');
    const cell = parse(text);
    if (cell instanceof Invalid) {
      // A number or a time with a NUL is refused anyway; say so rather than quote the NUL.
      const reason = text.includes(NUL) ? nulReason(text) : cell.reason;
      return { column: index < 0 ? null : (mapping.header[index] ?? null), reason };
    }
    cells[i] = cell;
  }
  return cells;
}

/**
 * Why a record spanning several lines is taken for a stray quote's doing (a quote that opened a
 * field which ran on over the following lines): it has not the header's number of fields, or it
 * would be rejected. Such a record is not loaded either way; reading its lines again one by one
 * loads the good ones. Null for a record to keep, or before the header is known.
 */
export function strayQuoteReason(mapping: HeaderMapping | null, fields: readonly string[]): string | null {
  if (mapping === null) return null;
  const outcome = validateRow(mapping, fields);
  if (!isRejected(outcome)) return null;
  // The reason may quote a value holding line breaks; keep it on one line.
  const reason = outcome.reason.replaceAll('\r', '\\r').replaceAll('\n', '\\n');
  return `a quote on this line opens a field that runs over the next lines (as one record: ${reason}); the line is skipped and the next ones are read`;
}

/** Tells a validated row from a rejection. */
export function isRejected(outcome: Cell[] | RejectedRow): outcome is RejectedRow {
  return !Array.isArray(outcome);
}
