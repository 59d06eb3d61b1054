/**
 * Reads the records of a CSV file with csv-parse, bounded and resilient: a record longer than
 * `maxRecordBytes` (a stray quote would otherwise make the parser buffer the rest of the file), or
 * one csv-parse cannot read (broken quoting), is handed on as an unreadable line with its number,
 * and reading resumes at the next line with a new parser. So one bad line costs one line.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Options as CsvParseOptions } from 'csv-parse';
import { isUnparsable, PositionedParser, type PositionedRecord, type UnparsableRecord } from './positioned-parser.js';

/** 64 KiB: a sensor line is about 100 bytes; a record this long is a broken file, not data. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

export interface ReadRecordsOptions {
  readonly path: string;
  /** Byte offset to start at (0, or a checkpoint's offset, always the start of a line). */
  readonly startByte?: number;
  /** Lines before `startByte` (0 at the start of the file). */
  readonly startLine?: number;
  readonly maxRecordBytes?: number;
  /**
   * Called for records spanning several lines: a reason when the record is a stray quote's doing
   * (e.g. not the header's field count), then its first line is unreadable and reading resumes
   * at the line after it; null to keep the record.
   */
  readonly strayQuote?: (record: readonly string[]) => string | null;
}

/** A record, with absolute line numbers (header = 1) and the byte offset just after it. */
export interface RecordItem {
  readonly record: string[];
  readonly firstLine: number;
  readonly line: number;
  readonly endByte: number;
}

/** A line that could not be read as CSV; reading went on at `endByte`, the start of the next line. */
export interface UnreadableItem {
  readonly unreadable: true;
  readonly line: number;
  readonly reason: string;
  readonly endByte: number;
}

export type ReadItem = RecordItem | UnreadableItem;

export function isUnreadable(item: ReadItem): item is UnreadableItem {
  return 'unreadable' in item;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SCAN_CHUNK_BYTES = 64 * 1024;

/**
 * The first non-empty line at or after `fromByte` (the start of a line numbered `fromLine + 1`):
 * its number and the byte offset just after its line break (the file's size for a last line
 * without one, then `atEnd`), or null when only empty lines follow. Reads in chunks, so a 10 MB
 * line costs no 10 MB of memory.
 */
export async function nextLineEnd(path: string, fromByte: number, fromLine: number): Promise<{ line: number; endByte: number; atEnd: boolean } | null> {
  const file = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    let position = fromByte;
    let line = fromLine + 1;
    let lineHasText = false;
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, SCAN_CHUNK_BYTES, position);
      if (bytesRead === 0) return lineHasText ? { line, endByte: position, atEnd: true } : null;
      for (let i = 0; i < bytesRead; i++) {
        const byte = chunk[i];
        if (byte === NEWLINE) {
          if (lineHasText) return { line, endByte: position + i + 1, atEnd: false };
          line++;
        } else if (byte !== CARRIAGE_RETURN) {
          lineHasText = true;
        }
      }
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/** Why csv-parse could not read a record, in the loader's words. */
export function unparsableReason(error: UnparsableRecord['error'], maxRecordBytes: number): string {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return `record longer than ${maxRecordBytes} bytes (an unclosed quote, or not a CSV line); skipped up to the next line`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `broken quoting: a quote inside an unquoted field, or a closing quote not followed by a comma or line break (${error.code})`;
    default:
      return `not readable as CSV: ${error.message}`;
  }
}

/**
 * The records of the file, in order, and its unreadable lines. Throws for I/O errors only.
 *
 * @example for await (const item of readRecords({ path: 'f.csv' })) if (!isUnreadable(item)) use(item.record)
 */
export async function* readRecords(options: ReadRecordsOptions): AsyncGenerator<ReadItem> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1) throw new RangeError(`maxRecordBytes must be a positive integer, got ${maxRecordBytes}`);
  let startByte = options.startByte ?? 0;
  let startLine = options.startLine ?? 0;
  for (;;) {
    const parseOptions: CsvParseOptions = { bom: startByte === 0, relax_column_count: true, skip_empty_lines: true, max_record_size: maxRecordBytes };
    const input = createReadStream(options.path, { start: startByte, highWaterMark: 1 << 20 });
    const parser = input.pipe(new PositionedParser(parseOptions));
    /** Where the last good record ended (the start at first). */
    let previous = { byte: startByte, line: startLine };
    /** Set when reading must start again after the first line past `previous`, and why. */
    let badAfter: { byte: number; line: number; reason: string } | null = null;
    try {
      for await (const item of parser as AsyncIterable<PositionedRecord | UnparsableRecord>) {
        if (isUnparsable(item)) {
          badAfter = { byte: startByte + item.afterBytes, line: startLine + item.afterLines, reason: unparsableReason(item.error, maxRecordBytes) };
          break;
        }
        const record: RecordItem = { record: item.record, firstLine: startLine + item.firstLine, line: startLine + item.lines, endByte: startByte + item.bytes };
        if (record.line > record.firstLine && options.strayQuote !== undefined) {
          const reason = options.strayQuote(record.record);
          if (reason !== null) {
            badAfter = { ...previous, reason };
            break;
          }
        }
        yield record;
        previous = { byte: record.endByte, line: record.line };
      }
    } finally {
      parser.destroy();
      input.destroy();
    }
    if (badAfter === null) return;
    const next = await nextLineEnd(options.path, badAfter.byte, badAfter.line);
    if (next === null) return;
    yield { unreadable: true, line: next.line, reason: badAfter.reason, endByte: next.endByte };
    if (next.atEnd) return;
    startByte = next.endByte;
    startLine = next.line;
  }
}
