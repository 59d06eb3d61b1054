/** csv-parse's stream parser, each record handed on with where it starts and ends in the stream. */
import { CsvError, Parser } from 'csv-parse';

export interface PositionedRecord {
  readonly record: string[];
  /** Line number of the record's first line, counted from the start of the parsed stream (1-based). */
  readonly firstLine: number;
  /** Line number of the record's last line, counted from the start of the parsed stream (1-based). */
  readonly lines: number;
  /** Bytes of the stream parsed up to the end of the record, its line break included. */
  readonly bytes: number;
}

/**
 * What the parser hands on, last, when it cannot read a record (broken quoting, a record over
 * `max_record_size`): the error and where the last good record ended. The stream then ends; the
 * reader resumes after the bad line with a new parser (record-reader.ts).
 */
export interface UnparsableRecord {
  readonly error: CsvError;
  /** Line and byte counts of the stream up to the end of the last record pushed (0 before any). */
  readonly afterLines: number;
  readonly afterBytes: number;
}

export function isUnparsable(item: PositionedRecord | UnparsableRecord): item is UnparsableRecord {
  return 'error' in item;
}

type Callback = (error?: Error | null) => void;

/**
 * The parser pushes a record while its `info` still describes that record; reading `lines` and
 * `bytes` there costs two numbers, where the `info` option builds two copies of the whole state
 * per record (that option more than doubled the parsing time).
 *
 * A CsvError does not destroy the stream (which would drop the records already pushed but not yet
 * read): it is pushed as an UnparsableRecord after them, and the stream ends.
 */
export class PositionedParser extends Parser {
  private endLines = 0;
  private endBytes = 0;
  private emptyLinesSeen = 0;

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    // Lines skipped as empty since the previous record lie between it and this one.
    const { lines, bytes, empty_lines: emptyLines } = this.info;
    const firstLine = this.endLines + 1 + (emptyLines - this.emptyLinesSeen);
    const positioned: PositionedRecord = { record: record as string[], firstLine, lines, bytes };
    this.endLines = lines;
    this.endBytes = bytes;
    this.emptyLinesSeen = emptyLines;
    return super.push(positioned, encoding);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: Callback): void {
    super._transform(chunk, encoding, this.handOnCsvError(callback));
  }

  override _flush(callback: Callback): void {
    super._flush(this.handOnCsvError(callback));
  }

  private handOnCsvError(callback: Callback): Callback {
    return (error) => {
      if (!(error instanceof CsvError)) return callback(error);
      const unparsable: UnparsableRecord = { error, afterLines: this.endLines, afterBytes: this.endBytes };
      super.push(unparsable);
      super.push(null);
      callback();
    };
  }
}
