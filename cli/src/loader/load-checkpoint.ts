/**
 * The checkpoint that makes a load resumable: written after each committed batch next to the
 * input (`<file>.load-state.json`), read on the next run to skip what is already in the
 * database, deleted when the file is done. The input's size and modification time tell a
 * changed file, which is then loaded from its start (the natural key keeps that idempotent).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseJsonObject } from '@polluscope/common';
import type { RawKind } from './raw-tables.js';

/** Counts of one file's load, cumulative over resumed runs. */
export interface LoadCounts {
  /** Data lines read (the header excluded). */
  readonly linesRead: number;
  readonly inserted: number;
  /** Valid lines whose (participant, time) was already in the table or earlier in the file. */
  readonly alreadyPresent: number;
  readonly rejected: number;
  readonly batches: number;
}

export const ZERO_COUNTS: LoadCounts = Object.freeze({ linesRead: 0, inserted: 0, alreadyPresent: 0, rejected: 0, batches: 0 });

export interface LoadCheckpoint {
  readonly version: 1;
  readonly kind: RawKind;
  /** Absolute path of the input. */
  readonly file: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** The input's header, to parse the rest of the file without reading its start. */
  readonly header: readonly string[];
  /** Byte offset just after the last line of the last committed batch. */
  readonly byteOffset: number;
  /** Line number (1-based, header = 1) of that last line. */
  readonly line: number;
  readonly rejectsFile: string;
  /** Size of the rejects file after that batch; anything past it came from an uncommitted batch. */
  readonly rejectsBytes: number;
  readonly counts: LoadCounts;
  /**
   * Present when the file is loaded in time order (it was not in order per participant): the
   * rows of that order committed so far. `byteOffset` and `line` then point at the file's end.
   */
  readonly sortedRowsDone?: number;
}

/** What the checkpoint is checked against before resuming. */
export interface LoadTarget {
  readonly kind: RawKind;
  readonly file: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly rejectsFile: string;
}

export type ResumeDecision = { readonly resume: true; readonly checkpoint: LoadCheckpoint } | { readonly resume: false; readonly reason: string };

/** `<file>.load-state.json` */
export function checkpointPath(file: string): string {
  return `${file}.load-state.json`;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Reads checkpoint JSON, or returns null when it is not a checkpoint of this version. */
export function parseCheckpoint(text: string): LoadCheckpoint | null {
  const c = parseJsonObject(text);
  if (c === null) return null;
  const counts = c['counts'] as Record<string, unknown> | null | undefined;
  const valid =
    c['version'] === 1 &&
    (c['kind'] === 'sensor' || c['kind'] === 'gps') &&
    typeof c['file'] === 'string' &&
    isCount(c['sizeBytes']) &&
    typeof c['mtimeMs'] === 'number' &&
    Array.isArray(c['header']) &&
    c['header'].every((h) => typeof h === 'string') &&
    isCount(c['byteOffset']) &&
    isCount(c['line']) &&
    typeof c['rejectsFile'] === 'string' &&
    isCount(c['rejectsBytes']) &&
    typeof counts === 'object' &&
    counts !== null &&
    ['linesRead', 'inserted', 'alreadyPresent', 'rejected', 'batches'].every((k) => isCount(counts[k])) &&
    (c['sortedRowsDone'] === undefined || isCount(c['sortedRowsDone']));
  return valid ? (c as unknown as LoadCheckpoint) : null;
}

/**
 * Whether a checkpoint applies to this load: same file, unchanged (size and modification
 * time), same kind and rejects file, and an offset inside the file.
 */
export function resumeDecision(checkpoint: LoadCheckpoint | null, target: LoadTarget): ResumeDecision {
  if (checkpoint === null) return { resume: false, reason: 'no checkpoint' };
  if (checkpoint.file !== target.file) return { resume: false, reason: `the checkpoint is for ${checkpoint.file}` };
  if (checkpoint.kind !== target.kind) return { resume: false, reason: `the checkpoint is for --kind ${checkpoint.kind}` };
  if (checkpoint.sizeBytes !== target.sizeBytes || checkpoint.mtimeMs !== target.mtimeMs) {
    return { resume: false, reason: 'the file changed since the checkpoint' };
  }
  if (checkpoint.rejectsFile !== target.rejectsFile) return { resume: false, reason: `the checkpoint wrote its rejects to ${checkpoint.rejectsFile}` };
  if (checkpoint.byteOffset > target.sizeBytes) return { resume: false, reason: 'the checkpoint points past the end of the file' };
  return { resume: true, checkpoint };
}

/** Reads a checkpoint file; null when there is none or it is unreadable. */
export async function readCheckpoint(path: string): Promise<LoadCheckpoint | null> {
  try {
    return parseCheckpoint(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes a checkpoint through a temporary file renamed into place, so it is never half-written. */
export async function writeCheckpoint(path: string, checkpoint: LoadCheckpoint): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(checkpoint));
  await rename(tmp, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
