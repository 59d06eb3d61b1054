/**
 * CSV in and out for the CLI (docs/design.md §8): columns found by header name, times ISO-8601 or
 * `YYYY-MM-DD HH:MM:SS` (naive = UTC), unknown columns passed through, errors naming the file,
 * line and column, and outputs written atomically so a failure leaves nothing half-written.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

/** A problem in an input file, located precisely enough for a researcher to fix it. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    readonly reason: string,
  ) {
    const where = [file, line === null ? null : `line ${line}`, column === null ? null : `column "${column}"`]
      .filter((part) => part !== null)
      .join(', ');
    super(`${where}: ${reason}`);
    this.name = 'InputError';
  }
}

export interface CsvRow {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly values: Record<string, string>;
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/**
 * Longest CSV record read, bytes: a stray quote makes the parser read on to the next quote,
 * perhaps the end of the file; past this the command stops at once, naming the line.
 */
export const MAX_CSV_RECORD_BYTES = 64 * 1024;

/** Reads a whole CSV file with a header line. */
export async function readCsv(file: string): Promise<CsvTable> {
  const rows: CsvRow[] = [];
  let header: string[] = [];
  const input = createReadStream(file);
  const parser = input.pipe(
    parse({
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      info: true,
      skip_empty_lines: true,
      bom: true,
      max_record_size: MAX_CSV_RECORD_BYTES,
    }),
  );
  // pipe() does not forward a read error (a missing file): hand it to the parser, whose loop below rejects.
  input.on('error', (err) => parser.destroy(err));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      rows.push({ line: info.lines, values: record });
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, null, null, 'file not found');
    if (code === 'CSV_MAX_RECORD_SIZE' || code === 'CSV_QUOTE_NOT_CLOSED') {
      // The record began after the last one read (empty lines aside): name that line, not where parsing gave up.
      const start = (rows.at(-1)?.line ?? 1) + 1;
      const what = code === 'CSV_MAX_RECORD_SIZE' ? `a record longer than ${MAX_CSV_RECORD_BYTES} bytes starts here` : 'a quote opened here is never closed';
      throw new InputError(file, start, null, `${what} (a stray quote?)`);
    }
    const line = (err as { lines?: number }).lines ?? null;
    throw new InputError(file, line, null, (err as Error).message);
  }
  return { file, header, rows };
}

/** Throws unless every named column is in the header. */
export function requireColumns(table: CsvTable, columns: readonly string[]): void {
  const missing = columns.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new InputError(table.file, 1, missing[0] ?? null, `missing column(s): ${missing.join(', ')}`);
  }
}

const NAIVE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/**
 * Parses a time as epoch milliseconds; a time without an offset is UTC.
 * Returns `null` when the text is not a time.
 *
 * @example parseTimeMs('2019-12-18 19:37:49') // 1576697869000
 */
export function parseTimeMs(text: string): number | null {
  const value = text.trim();
  const naive = NAIVE_TIME.exec(value);
  if (naive) {
    const [, y, mo, d, h, mi, s, frac] = naive;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) +
      (frac ? Math.round(Number(frac) * 1000) : 0);
    const check = new Date(ms);
    // Date.UTC silently rolls 2019-02-31 over to March: reject instead.
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
    return ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Reads a required time column of a row, or throws an InputError naming where. */
export function timeAt(table: CsvTable, row: CsvRow, column: string): number {
  const text = row.values[column] ?? '';
  const ms = parseTimeMs(text);
  if (ms === null) throw new InputError(table.file, row.line, column, `not a time: "${text}"`);
  return ms;
}

const NULL_TEXT = new Set(['', 'nan', 'NaN', 'null', 'NULL', 'None']);

/** Reads an optional number: empty, nan, null and None are null; anything else must be finite. */
export function optionalNumberAt(table: CsvTable, row: CsvRow, column: string): number | null {
  const text = (row.values[column] ?? '').trim();
  if (NULL_TEXT.has(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InputError(table.file, row.line, column, `not a number: "${text}"`);
  return value;
}

/** Reads a required number, or throws an InputError naming where. */
export function numberAt(table: CsvTable, row: CsvRow, column: string): number {
  const value = optionalNumberAt(table, row, column);
  if (value === null) throw new InputError(table.file, row.line, column, 'value is missing');
  return value;
}

/** Formats epoch milliseconds the way the CLI writes times: ISO-8601 UTC. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Writes rows to a CSV file through a temporary file renamed into place, so that a reader
 * never sees a half-written output. `null` and `undefined` become empty cells.
 */
export async function writeCsvAtomic(
  file: string,
  columns: readonly string[],
  rows: Iterable<Record<string, unknown>>,
): Promise<void> {
  const records: unknown[][] = [];
  for (const row of rows) records.push(columns.map((c) => row[c] ?? null));
  const text = stringify(records, {
    header: true,
    columns: [...columns],
    cast: { boolean: (v) => (v ? 'true' : 'false'), number: (v) => String(v) },
  });
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
