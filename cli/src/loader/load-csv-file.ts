/**
 * Loads one historical CSV export into the raw database: streamed (never the whole file in
 * memory), validated line by line, written in binary COPY format and COPYed in batches through
 * `copyBatchIntoRaw` (idempotent on the natural key), rejected lines written to a rejects CSV, and
 * a checkpoint after each committed batch so an interrupted load resumes where it stopped. While
 * one batch is being written to the database the next one is parsed.
 */
import { appendFile, rm, stat, truncate } from 'node:fs/promises';
import { resolve } from 'node:path';
import type pg from 'pg';
import { InputError } from '../csv-io.js';
import { CopyBinaryWriter } from './copy-binary.js';
import { copyBatchIntoRaw } from './copy-into-raw.js';
import { mapHeader, type HeaderMapping } from './header-aliases.js';
import {
  checkpointPath,
  readCheckpoint,
  removeCheckpoint,
  resumeDecision,
  writeCheckpoint,
  ZERO_COUNTS,
  type LoadCheckpoint,
  type LoadCounts,
} from './load-checkpoint.js';
import { DEFAULT_MAX_SORT_BYTES, loadInTimeOrder, type InsertBatch } from './load-in-time-order.js';
import { checkTimeOrder } from './order-check.js';
import { RAW_TABLES, type RawKind } from './raw-tables.js';
import { DEFAULT_MAX_RECORD_BYTES, isUnreadable, readRecords } from './record-reader.js';
import { rejectsHeaderLine, rejectsLine } from './rejects-csv.js';
import type { StepBack } from './time-order.js';
import { isRejected, strayQuoteReason, validateRow } from './validate-row.js';

export const DEFAULT_BATCH_SIZE = 50_000;
const YIELD_EVERY_LINES = 2_000;
const yieldToIo = (): Promise<void> => new Promise((resolveYield) => setImmediate(resolveYield));

export interface LoadProgress {
  readonly file: string;
  readonly sizeBytes: number;
  /** Bytes of the file parsed so far, including what a resumed run skipped. */
  readonly bytesRead: number;
  /** Data lines parsed so far, cumulative over resumed runs. */
  readonly linesRead: number;
  /** Data lines parsed by this run. */
  readonly linesReadThisRun: number;
}

export interface LoadCsvFileOptions {
  readonly kind: RawKind;
  readonly file: string;
  /** Where rejected lines go; `<file>.rejects.csv` by default. */
  readonly rejectsFile?: string;
  /** Lines (valid or not) per batch and per transaction. */
  readonly batchSize?: number;
  /**
   * Stops as an interruption would, after this many batches committed by this run, leaving the
   * checkpoint in place (used by tests of the resumption).
   */
  readonly stopAfterBatches?: number;
  /**
   * A file not in time order per participant is sorted in memory before it is inserted; past
   * this many bytes (rows encoded, plus SORT_BYTES_PER_ROW each) the load stops with an error
   * before inserting anything. 1 GiB by default.
   */
  readonly maxSortBytes?: number;
  /**
   * Longest record read, bytes (64 KiB by default): a longer one, such as what a stray quote makes
   * of the rest of the file, is rejected with its first line and reading resumes at the next line.
   */
  readonly maxRecordBytes?: number;
  /** Called as batches are parsed and at the end. */
  readonly onProgress?: (progress: LoadProgress) => void;
}

export interface FileLoadResult {
  readonly file: string;
  /** The rejects file, or null when no line was rejected. */
  readonly rejectsFile: string | null;
  /** Line number after which this run resumed, or null when it started at the beginning. */
  readonly resumedAfterLine: number | null;
  /** Why an existing checkpoint was not used (file changed…), or null. */
  readonly checkpointIgnored: string | null;
  /** Cumulative over resumed runs. */
  readonly counts: LoadCounts;
  readonly linesReadThisRun: number;
  readonly elapsedMs: number;
  /** True when `stopAfterBatches` stopped the load before the end of the file. */
  readonly interrupted: boolean;
  /** How the rows were put in time order per participant. */
  readonly timeOrder: TimeOrderOutcome;
}

/**
 * `file`: the file was in time order per participant and was inserted as read; `sorted`: it was
 * not, and its rows were sorted by participant and time before being inserted.
 */
export type TimeOrderOutcome =
  | { readonly insertedIn: 'file-order' }
  | {
      readonly insertedIn: 'time-order';
      readonly stepsBack: number;
      readonly firstStepBack: StepBack | null;
      /** Rows of the time order committed by earlier runs when this one resumed, or null. */
      readonly resumedAfterRows: number | null;
    };

interface Batch {
  /** The valid rows, already in binary COPY format (off the heap: nothing for the GC to keep). */
  readonly rows: CopyBinaryWriter;
  rejects: string;
  rejectedLines: number;
  lines: number;
  /** Byte offset and line number just after the batch's last line. */
  endByte: number;
  endLine: number;
}

/** `bytes`: room for the rows, so that the buffer need not grow (and be copied) while it fills. */
const newBatch = (bytes?: number): Batch => ({ rows: new CopyBinaryWriter(bytes), rejects: '', rejectedLines: 0, lines: 0, endByte: 0, endLine: 0 });

/** Wraps a csv-parse or file-system error as an InputError naming the file (and line). */
function inputError(file: string, err: unknown, lineBase: number): unknown {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(file, null, null, 'file not found');
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    const lines = (err as { lines?: number }).lines;
    return new InputError(file, lines === undefined ? null : lineBase + lines, null, (err as Error).message);
  }
  return err;
}

/**
 * Loads one file into rawdata, each participant's rows in time order. Throws an InputError for a
 * file that cannot be read as CSV (missing, required column absent, broken quoting) or is too
 * large to sort; bad lines are rejected, not thrown.
 */
export function loadCsvFile(client: pg.ClientBase, options: LoadCsvFileOptions): Promise<FileLoadResult> {
  return loadCsvFileInto((data) => copyBatchIntoRaw(client, options.kind, data, 'binary'), options);
}

/**
 * `loadCsvFile` with the database write given: `insert` receives each batch as binary COPY data
 * (copy-binary.ts) and returns the rows it inserted. A file already in time order per
 * participant (checked first, reading only those two columns) is streamed as it is read;
 * otherwise it is sorted first (load-in-time-order.ts).
 */
export async function loadCsvFileInto(insert: InsertBatch, options: LoadCsvFileOptions): Promise<FileLoadResult> {
  const started = performance.now();
  const { kind } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1) throw new RangeError(`maxRecordBytes must be a positive integer, got ${maxRecordBytes}`);
  const file = resolve(options.file);
  const rejectsFile = resolve(options.rejectsFile ?? `${options.file}.rejects.csv`);
  const info = await stat(file).catch((err: unknown) => {
    throw inputError(options.file, err, 0);
  });
  const statePath = checkpointPath(file);
  const saved = await readCheckpoint(statePath);
  const decision = resumeDecision(saved, { kind, file, sizeBytes: info.size, mtimeMs: info.mtimeMs, rejectsFile });
  const checkpointIgnored = !decision.resume && saved !== null ? decision.reason : null;
  let needsSorting: boolean;
  if (decision.resume) {
    needsSorting = decision.checkpoint.sortedRowsDone !== undefined;
  } else {
    await rm(rejectsFile, { force: true });
    await removeCheckpoint(statePath);
    const check = await checkTimeOrder(file, options.file, kind, maxRecordBytes).catch((err: unknown) => {
      throw inputError(options.file, err, 0);
    });
    needsSorting = check.firstStepBack !== null;
  }
  if (needsSorting) {
    const resumed = decision.resume ? { rowsDone: decision.checkpoint.sortedRowsDone ?? 0, counts: decision.checkpoint.counts } : null;
    const sorted = await loadInTimeOrder({
      kind,
      path: file,
      file: options.file,
      rejectsFile,
      batchSize,
      maxRecordBytes,
      maxSortBytes: options.maxSortBytes ?? DEFAULT_MAX_SORT_BYTES,
      insert,
      resumed,
      ...(options.stopAfterBatches === undefined ? {} : { stopAfterBatches: options.stopAfterBatches }),
      onProgress: (bytesRead, linesReadThisRun) =>
        options.onProgress?.({ file: options.file, sizeBytes: info.size, bytesRead, linesRead: linesReadThisRun, linesReadThisRun }),
      saveCheckpoint: (state) =>
        writeCheckpoint(statePath, {
          version: 1,
          kind,
          file,
          sizeBytes: info.size,
          mtimeMs: info.mtimeMs,
          header: state.header,
          byteOffset: info.size,
          line: state.lastLine,
          rejectsFile,
          rejectsBytes: state.rejectsBytes,
          counts: state.counts,
          sortedRowsDone: state.rowsDone,
        }),
    }).catch((err: unknown) => {
      throw inputError(options.file, err, 0);
    });
    if (!sorted.interrupted) await removeCheckpoint(statePath);
    options.onProgress?.({ file: options.file, sizeBytes: info.size, bytesRead: info.size, linesRead: sorted.counts.linesRead, linesReadThisRun: sorted.linesReadThisRun });
    return {
      file: options.file,
      rejectsFile: sorted.rejectsBytes > 0 ? rejectsFile : null,
      resumedAfterLine: null,
      checkpointIgnored,
      counts: sorted.counts,
      linesReadThisRun: sorted.linesReadThisRun,
      elapsedMs: performance.now() - started,
      interrupted: sorted.interrupted,
      timeOrder: { insertedIn: 'time-order', stepsBack: sorted.stepsBack, firstStepBack: sorted.firstStepBack, resumedAfterRows: resumed?.rowsDone ?? null },
    };
  }

  let counts: LoadCounts = ZERO_COUNTS;
  let byteBase = 0;
  let lineBase = 0;
  let rejectsBytes = 0;
  let mapping: HeaderMapping | null = null;
  if (decision.resume) {
    const cp = decision.checkpoint;
    counts = cp.counts;
    byteBase = cp.byteOffset;
    lineBase = cp.line;
    rejectsBytes = cp.rejectsBytes;
    mapping = mapHeader(kind, cp.header, options.file);
    // Lines rejected by a batch that never committed are dropped: that batch is read again.
    if (rejectsBytes > 0) await truncate(rejectsFile, rejectsBytes);
    else await rm(rejectsFile, { force: true });
  } else {
    await rm(rejectsFile, { force: true });
    await removeCheckpoint(statePath);
  }

  const linesReadBefore = counts.linesRead;
  const progress = (bytesRead: number, linesReadThisRun: number): void =>
    options.onProgress?.({ file: options.file, sizeBytes: info.size, bytesRead, linesRead: linesReadBefore + linesReadThisRun, linesReadThisRun });

  /** Size of the largest batch so far, to size the next one. */
  let batchBytes = 0;
  const commit = async (batch: Batch, header: readonly string[]): Promise<void> => {
    const valid = batch.rows.rows;
    const data = batch.rows.finish();
    batchBytes = Math.max(batchBytes, data.length);
    const inserted = valid > 0 ? await insert(data) : 0;
    if (batch.rejects.length > 0) {
      const text = rejectsBytes === 0 ? rejectsHeaderLine(header) + batch.rejects : batch.rejects;
      await appendFile(rejectsFile, text);
      rejectsBytes += Buffer.byteLength(text);
    }
    counts = {
      linesRead: counts.linesRead + batch.lines,
      inserted: counts.inserted + inserted,
      alreadyPresent: counts.alreadyPresent + valid - inserted,
      rejected: counts.rejected + batch.rejectedLines,
      batches: counts.batches + 1,
    };
    const checkpoint: LoadCheckpoint = {
      version: 1,
      kind,
      file,
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
      header,
      byteOffset: batch.endByte,
      line: batch.endLine,
      rejectsFile,
      rejectsBytes,
      counts,
    };
    await writeCheckpoint(statePath, checkpoint);
  };

  const records = readRecords({ path: file, startByte: byteBase, startLine: lineBase, maxRecordBytes, strayQuote: (record) => strayQuoteReason(mapping, record) });
  const types = RAW_TABLES[kind].types;
  let pending: Promise<void> | null = null;
  let batch = newBatch();
  let linesThisRun = 0;
  let batchesThisRun = 0;
  let interrupted = false;
  let bytesRead = byteBase;
  const hand = async (full: Batch, header: readonly string[]): Promise<void> => {
    if (pending !== null) await pending;
    const next = commit(full, header);
    next.catch(() => undefined); // awaited at the next hand-over or at the end
    pending = next;
    batchesThisRun++;
    progress(full.endByte, linesThisRun);
  };
  try {
    for await (const item of records) {
      if (mapping === null) {
        if (isUnreadable(item)) throw new InputError(options.file, item.line, null, `header: ${item.reason}`);
        mapping = mapHeader(kind, item.record, options.file);
        continue;
      }
      bytesRead = item.endByte;
      if (isUnreadable(item)) {
        batch.rejects += rejectsLine(item.line, { column: null, reason: item.reason }, []);
        batch.rejectedLines++;
      } else {
        const outcome = validateRow(mapping, item.record);
        if (isRejected(outcome)) {
          batch.rejects += rejectsLine(item.line, outcome, item.record);
          batch.rejectedLines++;
        } else {
          batch.rows.row(types, outcome);
        }
      }
      batch.lines++;
      linesThisRun++;
      batch.endByte = bytesRead;
      batch.endLine = item.line;
      // Parsing a read-ahead chunk runs on microtasks only; let the database's replies in.
      if (pending !== null && batch.lines % YIELD_EVERY_LINES === 0) await yieldToIo();
      if (batch.lines >= batchSize) {
        await hand(batch, mapping.header);
        batch = newBatch(Math.ceil(batchBytes * 1.1));
        if (options.stopAfterBatches !== undefined && batchesThisRun >= options.stopAfterBatches) {
          interrupted = true;
          break;
        }
      }
    }
    if (mapping === null) throw new InputError(options.file, 1, null, 'empty file: no header line');
    if (!interrupted && batch.lines > 0) await hand(batch, mapping.header);
    if (pending !== null) await pending;
  } catch (err) {
    if (pending !== null) await (pending as Promise<void>).catch(() => undefined);
    throw inputError(options.file, err, lineBase);
  } finally {
    await records.return(undefined);
  }
  if (!interrupted) await removeCheckpoint(statePath);
  progress(interrupted ? bytesRead : info.size, linesThisRun);
  return {
    file: options.file,
    rejectsFile: rejectsBytes > 0 ? rejectsFile : null,
    resumedAfterLine: decision.resume ? decision.checkpoint.line : null,
    checkpointIgnored,
    counts,
    linesReadThisRun: linesThisRun,
    elapsedMs: performance.now() - started,
    interrupted,
    timeOrder: { insertedIn: 'file-order' },
  };
}
