/**
 * Row-by-row validation of historical exports before they reach the raw database: each cell is
 * turned into the text COPY expects (numbers normalised, times as ISO-8601 UTC) or NULL, or the
 * row is rejected with the column and the reason. Pure: no I/O, nothing thrown for bad data.
 */
import { parseTimeMs } from '../csv-io.js';
import type { HeaderMapping } from './header-aliases.js';
import type { RawKind } from './raw-tables.js';

/** Why a cell cannot be loaded. */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** A COPY-ready cell: text, or `null` for SQL NULL. */
export type Cell = string | null;

/** Texts meaning "no value" (compared in lower case, after trimming). */
const NULL_TEXTS: ReadonlySet<string> = new Set(['', 'nan', 'null', 'none', 'na']);

function isNullText(text: string): boolean {
  return text.length === 0 || (text.length <= 4 && NULL_TEXTS.has(text.toLowerCase()));
}

/** Number() also reads hexadecimal, binary, octal and separators-free forms PostgreSQL would not. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A participant id: any non-empty text once trimmed. */
export function parseParticipantId(text: string): Cell | Invalid {
  const value = text.trim();
  return value.length === 0 ? new Invalid('empty participant id') : value;
}

/**
 * A time, ISO-8601 or `YYYY-MM-DD HH:MM:SS` (naive = UTC), as ISO-8601 UTC.
 *
 * @example parseTimeCell('2019-12-18 19:37:49') // '2019-12-18T19:37:49.000Z'
 */
export function parseTimeCell(text: string): Cell | Invalid {
  const ms = parseTimeMs(text);
  return ms === null ? new Invalid(`not a time: "${text}"`) : new Date(ms).toISOString();
}

/** A finite decimal number, or `null` for empty, nan, null, none and na (any case). */
export function parseOptionalNumber(text: string): Cell | Invalid {
  const value = text.trim();
  if (isNullText(value)) return null;
  if (!DECIMAL.test(value)) return new Invalid(`not a number: "${text}"`);
  const number = Number(value);
  return Number.isFinite(number) ? String(number) : new Invalid(`not a finite number: "${text}"`);
}

/** A 32-bit integer id (kit, tablet), or `null` when empty. `12.0` is read as 12. */
export function parseOptionalInteger(text: string): Cell | Invalid {
  const value = text.trim();
  if (isNullText(value)) return null;
  const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < INT32_MIN || number > INT32_MAX) return new Invalid(`not an integer id: "${text}"`);
  return String(number);
}

function parseRequiredInRange(text: string, name: string, min: number, max: number): Cell | Invalid {
  const cell = parseOptionalNumber(text);
  if (cell instanceof Invalid) return cell;
  if (cell === null) return new Invalid(`${name} is missing`);
  const number = Number(cell);
  return number < min || number > max ? new Invalid(`${name} ${cell} is outside [${min}, ${max}]`) : cell;
}

/** A latitude in degrees, required, within [-90, 90]. */
export function parseLatitude(text: string): Cell | Invalid {
  return parseRequiredInRange(text, 'latitude', -90, 90);
}

/** A longitude in degrees, required, within [-180, 180]. */
export function parseLongitude(text: string): Cell | Invalid {
  return parseRequiredInRange(text, 'longitude', -180, 180);
}

/** Free text (activity, event), or `null` when empty or a "no value" text. */
export function parseOptionalText(text: string): Cell | Invalid {
  const value = text.trim();
  return isNullText(value) ? null : value;
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
 * column order, or why the line is rejected (the first bad column, in COPY order).
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
    const cell = parse(index < 0 ? '' : (fields[index] ?? ''));
    if (cell instanceof Invalid) return { column: index < 0 ? null : (mapping.header[index] ?? null), reason: cell.reason };
    cells[i] = cell;
  }
  return cells;
}

/** Tells a validated row from a rejection. */
export function isRejected(outcome: Cell[] | RejectedRow): outcome is RejectedRow {
  return !Array.isArray(outcome);
}
