/**
 * Loads a file that is not in time order per participant: reads and validates it whole (rejects
 * written as in a streamed load), keeps the valid rows in binary COPY form in memory, sorts them
 * by participant and time (time-order.ts), then inserts them in that order in batches, one
 * transaction and one checkpoint each. A resumed load reads and sorts the unchanged file again and
 * skips the rows its checkpoint counts as committed. Past `maxSortBytes` it stops before inserting
 * anything, with an error that says how to go on.
 */
import { appendFile, rm } from 'node:fs/promises';
import { InputError } from '../csv-io.js';
import { CopyBinaryWriter } from './copy-binary.js';
import { mapHeader, type HeaderMapping } from './header-aliases.js';
import type { LoadCounts } from './load-checkpoint.js';
import { isUnreadable, readRecords } from './record-reader.js';
import { RAW_TABLES, type RawKind } from './raw-tables.js';
import { rejectsHeaderLine, rejectsLine } from './rejects-csv.js';
import { describeStepBack, ParticipantTimeOrder, timeOrderPermutation, type StepBack } from './time-order.js';
import { isRejected, strayQuoteReason, validateRow } from './validate-row.js';

/** Inserts one batch of binary COPY data; returns the rows actually inserted. */
export type InsertBatch = (data: Buffer) => Promise<number>;

/** Memory a row costs besides its encoding: its offset, participant and time while read, then sorted. */
export const SORT_BYTES_PER_ROW = 48;
export const DEFAULT_MAX_SORT_BYTES = 1024 * 1024 * 1024;
const REJECTS_FLUSH_CHARS = 1 << 20;

export interface TimeOrderLoad {
  readonly kind: RawKind;
  /** The resolved path, and the name given on the command line (for messages). */
  readonly path: string;
  readonly file: string;
  readonly rejectsFile: string;
  readonly batchSize: number;
  /** Longest record read, bytes (record-reader.ts). */
  readonly maxRecordBytes: number;
  /** Bound on the memory the rows may take while sorted (encoded rows + SORT_BYTES_PER_ROW each). */
  readonly maxSortBytes: number;
  readonly insert: InsertBatch;
  /** Rows of the sorted order committed by earlier runs, with those runs' counts; null for a first run. */
  readonly resumed: { readonly rowsDone: number; readonly counts: LoadCounts } | null;
  readonly stopAfterBatches?: number;
  readonly onProgress: (bytesRead: number, linesReadThisRun: number) => void;
  /** Called after each committed batch. */
  readonly saveCheckpoint: (state: { readonly header: readonly string[]; readonly rowsDone: number; readonly rejectsBytes: number; readonly counts: LoadCounts; readonly lastLine: number }) => Promise<void>;
}

export interface TimeOrderResult {
  readonly counts: LoadCounts;
  readonly rejectsBytes: number;
  readonly linesReadThisRun: number;
  readonly interrupted: boolean;
  readonly stepsBack: number;
  readonly firstStepBack: StepBack | null;
}

/** The valid rows of a file, encoded, with what sorting them needs. */
interface ReadRows {
  readonly header: readonly string[];
  readonly store: CopyBinaryWriter;
  /** Row i is store.view(offsets[i], offsets[i + 1]). */
  readonly offsets: number[];
  readonly participant: number[];
  readonly timeMs: number[];
  readonly order: ParticipantTimeOrder;
  lines: number;
  lastLine: number;
  rejected: number;
  rejectsBytes: number;
}

async function readWhole(load: TimeOrderLoad): Promise<ReadRows> {
  const types = RAW_TABLES[load.kind].types;
  const participants = new Map<string, number>();
  let mapping: HeaderMapping | null = null;
  let rows: ReadRows | null = null;
  let rejects = '';
  const flushRejects = async (r: ReadRows): Promise<void> => {
    if (rejects.length === 0) return;
    const text = r.rejectsBytes === 0 ? rejectsHeaderLine(r.header) + rejects : rejects;
    await appendFile(load.rejectsFile, text);
    r.rejectsBytes += Buffer.byteLength(text);
    rejects = '';
  };
  const records = readRecords({ path: load.path, maxRecordBytes: load.maxRecordBytes, strayQuote: (record) => strayQuoteReason(mapping, record) });
  try {
    for await (const item of records) {
      if (mapping === null) {
        if (isUnreadable(item)) throw new InputError(load.file, item.line, null, `header: ${item.reason}`);
        mapping = mapHeader(load.kind, item.record, load.file);
        rows = { header: mapping.header, store: new CopyBinaryWriter(), offsets: [], participant: [], timeMs: [], order: new ParticipantTimeOrder(), lines: 0, lastLine: 1, rejected: 0, rejectsBytes: 0 };
        rows.offsets.push(rows.store.byteLength);
        continue;
      }
      const r = rows as ReadRows;
      const lines = item.line;
      r.lines++;
      r.lastLine = lines;
      const outcome = isUnreadable(item) ? { column: null, reason: item.reason } : validateRow(mapping, item.record);
      if (isRejected(outcome)) {
        rejects += rejectsLine(lines, outcome, isUnreadable(item) ? [] : item.record);
        r.rejected++;
        if (rejects.length >= REJECTS_FLUSH_CHARS) await flushRejects(r);
      } else {
        const participant = outcome[0] as string;
        const timeMs = outcome[2] as number;
        let index = participants.get(participant);
        if (index === undefined) participants.set(participant, (index = participants.size));
        r.store.row(types, outcome);
        r.offsets.push(r.store.byteLength);
        r.participant.push(index);
        r.timeMs.push(timeMs);
        r.order.add(participant, timeMs, lines);
        if (r.store.byteLength + SORT_BYTES_PER_ROW * r.timeMs.length > load.maxSortBytes) throw tooLarge(load, r, lines);
      }
      if (r.lines % 50_000 === 0) load.onProgress(item.endByte, r.lines);
    }
    if (rows === null) throw new InputError(load.file, 1, null, 'empty file: no header line');
    await flushRejects(rows);
    return rows;
  } catch (err) {
    await rm(load.rejectsFile, { force: true });
    throw err;
  } finally {
    await records.return(undefined);
  }
}

function tooLarge(load: TimeOrderLoad, rows: ReadRows, line: number): InputError {
  const mib = load.maxSortBytes / (1024 * 1024);
  const allowed = mib >= 1 ? `${Math.round(mib)} MiB` : `${load.maxSortBytes} bytes`;
  const step = rows.order.firstStepBack;
  return new InputError(
    load.file,
    line,
    null,
    `not in time order per participant (first step back at ${step === null ? 'an earlier line' : describeStepBack(step)}), and its rows take more than ` +
      `the ${allowed} allowed for sorting them by this line; nothing was inserted. Sort the file by participant and time first ` +
      `(then it is loaded as it is read), split it, or raise --sort-memory-mb`,
  );
}

/** Reads, sorts and inserts; see the file's header. */
export async function loadInTimeOrder(load: TimeOrderLoad): Promise<TimeOrderResult> {
  const rows = await readWhole(load);
  const order = timeOrderPermutation(Int32Array.from(rows.participant), Float64Array.from(rows.timeMs));
  const before = load.resumed?.counts ?? null;
  let counts: LoadCounts = {
    linesRead: rows.lines,
    inserted: before?.inserted ?? 0,
    alreadyPresent: before?.alreadyPresent ?? 0,
    rejected: rows.rejected,
    batches: before?.batches ?? 0,
  };
  let done = Math.min(load.resumed?.rowsDone ?? 0, order.length);
  let batches = 0;
  let interrupted = false;
  const batchBytes = Math.ceil(((rows.store.byteLength / Math.max(order.length, 1)) * Math.min(load.batchSize, order.length) + 64) * 1.05);
  while (done < order.length) {
    if (load.stopAfterBatches !== undefined && batches >= load.stopAfterBatches) {
      interrupted = true;
      break;
    }
    const end = Math.min(done + load.batchSize, order.length);
    const batch = new CopyBinaryWriter(batchBytes);
    for (let k = done; k < end; k++) {
      const i = order[k] as number;
      batch.encodedRow(rows.store.view(rows.offsets[i] as number, rows.offsets[i + 1] as number));
    }
    const inserted = await load.insert(batch.finish());
    counts = { ...counts, inserted: counts.inserted + inserted, alreadyPresent: counts.alreadyPresent + (end - done) - inserted, batches: counts.batches + 1 };
    done = end;
    batches++;
    await load.saveCheckpoint({ header: rows.header, rowsDone: done, rejectsBytes: rows.rejectsBytes, counts, lastLine: rows.lastLine });
  }
  return { counts, rejectsBytes: rows.rejectsBytes, linesReadThisRun: rows.lines, interrupted, stepsBack: rows.order.stepsBack, firstStepBack: rows.order.firstStepBack };
}
