/**
 * The training files `export-labels` wrote, kept in a ledger beside the stack (one JSON line per
 * file) so that `erase` can find every copy of a volunteer's data it put on disk.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readCsv, writeCsvAtomic } from '../csv-io.js';

/** Where the ledger lives: beside the stack's data, private to its owner. */
export const exportLedgerFile = (stackHome: string): string => join(stackHome, 'exports.jsonl');

export interface LedgerEntry {
  readonly path: string;
  readonly writtenAt: string;
}

export async function recordExports(ledgerFile: string, files: readonly string[], now: Date = new Date()): Promise<void> {
  await mkdir(dirname(ledgerFile), { recursive: true });
  const lines = files.map((f) => JSON.stringify({ path: resolve(f), writtenAt: now.toISOString() } satisfies LedgerEntry));
  await appendFile(ledgerFile, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** The distinct files the ledger names, in the order first written; a missing ledger is empty. */
export function parseLedger(text: string, ledgerFile: string): string[] {
  const paths = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: Partial<LedgerEntry>;
    try {
      entry = JSON.parse(line) as Partial<LedgerEntry>;
    } catch {
      throw new Error(`${ledgerFile}, line ${index + 1}: not a JSON object`);
    }
    if (typeof entry.path !== 'string') throw new Error(`${ledgerFile}, line ${index + 1}: no "path"`);
    paths.add(entry.path);
  });
  return [...paths];
}

export interface ExportErasure {
  readonly path: string;
  /** Rows of the participant removed, or null when the file no longer exists. */
  readonly rows: number | null;
}

/** Rewrites every exported file the ledger names without the participant's rows. */
export async function eraseFromExports(ledgerFile: string, participant: string, dryRun: boolean): Promise<ExportErasure[]> {
  if (!existsSync(ledgerFile)) return [];
  const erased: ExportErasure[] = [];
  for (const path of parseLedger(await readFile(ledgerFile, 'utf8'), ledgerFile)) {
    if (!existsSync(path)) {
      erased.push({ path, rows: null });
      continue;
    }
    const table = await readCsv(path);
    const kept = table.rows.filter((r) => r.values.participant_virtual_id !== participant);
    const removed = table.rows.length - kept.length;
    if (removed > 0 && !dryRun) await writeCsvAtomic(path, table.header, kept.map((r) => r.values));
    erased.push({ path, rows: removed });
  }
  return erased;
}
