/**
 * `polluscope load-csv` (docs/design.md §8): loads historical sensor or GPS exports into the raw
 * database, streamed, validated, idempotent and resumable (see docs/load-csv.md).
 */
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { InputError } from '../csv-io.js';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';
import { aliasTableLines } from '../loader/header-aliases.js';
import { DEFAULT_BATCH_SIZE, loadCsvFile, type FileLoadResult, type LoadProgress, type TimeOrderOutcome } from '../loader/load-csv-file.js';
import { DEFAULT_MAX_SORT_BYTES } from '../loader/load-in-time-order.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../loader/record-reader.js';
import { describeStepBack } from '../loader/time-order.js';
import { loadedBehind, mergeLoadedBehind, rawHighWater, type LoadedBehind } from '../loader/loaded-behind.js';
import { reprocessedLine, reprocessParticipant, withReprocessTargets } from '../operations/reprocess-run.js';
import type { RawKind } from '../loader/raw-tables.js';

interface LoadCsvOptions {
  readonly kind: RawKind;
  readonly rejects?: string;
  readonly batchSize: string;
  readonly sortMemoryMb: string;
  /** Commander gives the default; absent means the default too. */
  readonly maxRecordKib?: string;
  readonly databaseUrl?: string;
  /** Commander gives true unless --no-reprocess; absent means true too. */
  readonly reprocess?: boolean;
}

export interface LoadCsvParams {
  readonly kind: RawKind;
  readonly files: readonly string[];
  /** One rejects file, only with a single input; otherwise `<file>.rejects.csv` each. */
  readonly rejectsFile: string | null;
  readonly batchSize: number;
  /** Bound on the memory used to sort a file not in time order per participant. */
  readonly maxSortBytes: number;
  /** Longest record read; a longer one is rejected with its line and reading resumes at the next line. */
  readonly maxRecordBytes: number;
  readonly databaseUrl: string;
  /** Recompute the participants the load put behind rows already there (docs/load-csv.md). */
  readonly reprocess: boolean;
}

/** Turns the command line into load parameters, or throws an InputError naming the option. */
export function loadCsvParamsFromOptions(files: readonly string[], options: LoadCsvOptions, defaultDatabaseUrl: () => string): LoadCsvParams {
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError('--batch-size', null, null, `not a positive integer: "${options.batchSize}"`);
  const sortMemoryMb = Number(options.sortMemoryMb);
  if (!Number.isInteger(sortMemoryMb) || sortMemoryMb < 1) throw new InputError('--sort-memory-mb', null, null, `not a positive integer: "${options.sortMemoryMb}"`);
  const maxRecordKib = Number(options.maxRecordKib ?? DEFAULT_MAX_RECORD_KIB);
  if (!Number.isInteger(maxRecordKib) || maxRecordKib < 1) throw new InputError('--max-record-kib', null, null, `not a positive integer: "${options.maxRecordKib}"`);
  if (options.rejects !== undefined && files.length > 1) {
    throw new InputError('--rejects', null, null, 'names one rejects file, so it takes one input file; without it each FILE gets FILE.rejects.csv');
  }
  return { kind: options.kind, files, rejectsFile: options.rejects ?? null, batchSize, maxSortBytes: sortMemoryMb * 1024 * 1024, maxRecordBytes: maxRecordKib * 1024, databaseUrl: options.databaseUrl ?? defaultDatabaseUrl(), reprocess: options.reprocess !== false };
}

/** Shows progress: a bar on a terminal, a plain line now and then otherwise (CI logs). */
export interface ProgressView {
  update(progress: LoadProgress): void;
  /** Ends the current file's display. */
  finish(result: FileLoadResult): void;
}

const PLAIN_EVERY_MS = 10_000;
const DEFAULT_SORT_MEMORY_MB = DEFAULT_MAX_SORT_BYTES / (1024 * 1024);
const DEFAULT_MAX_RECORD_KIB = DEFAULT_MAX_RECORD_BYTES / 1024;

export function progressView(stream: NodeJS.WriteStream): ProgressView {
  if (stream.isTTY === true) {
    let bar: cliProgress.SingleBar | null = null;
    let started = 0;
    return {
      update(p) {
        if (bar === null) {
          started = performance.now();
          bar = new cliProgress.SingleBar(
            { stream, format: `${p.file} |{bar}| {percentage}% | {rows} rows | {speed} rows/s | ETA {eta_formatted}`, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.sizeBytes, 0, { rows: 0, speed: 0 });
        }
        const seconds = (performance.now() - started) / 1000;
        bar.update(p.bytesRead, { rows: p.linesRead, speed: seconds > 0 ? Math.round(p.linesReadThisRun / seconds) : 0 });
      },
      finish() {
        bar?.stop();
        bar = null;
      },
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(p) {
      const now = performance.now();
      if (now - last < PLAIN_EVERY_MS) return;
      last = now;
      const percent = p.sizeBytes > 0 ? Math.round((100 * p.bytesRead) / p.sizeBytes) : 100;
      stream.write(`${p.file}: ${p.linesRead} lines read (${percent} %)\n`);
    },
    finish(result) {
      last = Number.NEGATIVE_INFINITY;
      stream.write(`${fileSummaryLine(result)}\n`);
    },
  };
}

const rate = (lines: number, elapsedMs: number): number => (elapsedMs > 0 ? Math.round((lines * 1000) / elapsedMs) : 0);

/** One line per file: its counts, the rejects file, resumption. */
export function fileSummaryLine(r: FileLoadResult): string {
  const c = r.counts;
  const parts = [
    `${r.file}: ${c.linesRead} lines, ${c.inserted} inserted, ${c.alreadyPresent} already present, ${c.rejected} rejected`,
    r.rejectsFile === null ? null : `rejects in ${r.rejectsFile}`,
    r.resumedAfterLine === null ? null : `resumed after line ${r.resumedAfterLine}`,
    r.checkpointIgnored === null ? null : `checkpoint ignored: ${r.checkpointIgnored}`,
    r.timeOrder.insertedIn === 'time-order' ? timeOrderNote(r.timeOrder) : null,
    r.interrupted ? 'stopped early, checkpoint kept' : null,
  ];
  return parts.filter((p) => p !== null).join('; ');
}

function timeOrderNote(order: Extract<TimeOrderOutcome, { insertedIn: 'time-order' }>): string {
  const first = order.firstStepBack === null ? '' : `, the first at ${describeStepBack(order.firstStepBack)}`;
  const resumed = order.resumedAfterRows === null ? '' : `; resumed after ${order.resumedAfterRows} sorted rows`;
  return `not in time order per participant (${order.stepsBack} steps back${first}): inserted sorted by participant and time${resumed}`;
}

/** The end-of-load summary: files, lines read, inserted, already present, rejected, elapsed, rows/s. */
export function formatLoadSummary(results: readonly FileLoadResult[], elapsedMs: number): string {
  const sum = (pick: (r: FileLoadResult) => number): number => results.reduce((total, r) => total + pick(r), 0);
  const linesThisRun = sum((r) => r.linesReadThisRun);
  return [
    `files:            ${results.length}`,
    `lines read:       ${sum((r) => r.counts.linesRead)}`,
    `inserted:         ${sum((r) => r.counts.inserted)}`,
    `already present:  ${sum((r) => r.counts.alreadyPresent)}`,
    `rejected:         ${sum((r) => r.counts.rejected)}`,
    `elapsed:          ${(elapsedMs / 1000).toFixed(1)} s`,
    `rows/s:           ${rate(linesThisRun, elapsedMs)}`,
  ].join('\n');
}

/**
 * Loads every file in turn on one connection; also says which participants the load put rows
 * behind what rawdata already held (an earlier file of the same run included).
 */
export async function runLoadCsv(params: LoadCsvParams, view: ProgressView): Promise<{ results: FileLoadResult[]; elapsedMs: number; behind: LoadedBehind[] }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: params.databaseUrl, application_name: 'polluscope load-csv' });
  await client.connect();
  const results: FileLoadResult[] = [];
  const behind: LoadedBehind[][] = [];
  try {
    for (const file of params.files) {
      const before = await rawHighWater(client);
      const result = await loadCsvFile(client, {
        kind: params.kind,
        file,
        batchSize: params.batchSize,
        maxSortBytes: params.maxSortBytes,
        maxRecordBytes: params.maxRecordBytes,
        onProgress: (p) => view.update(p),
        ...(params.rejectsFile === null ? {} : { rejectsFile: params.rejectsFile }),
      });
      view.finish(result);
      results.push(result);
      behind.push(await loadedBehind(client, params.kind, before));
    }
  } finally {
    await client.end();
  }
  return { results, elapsedMs: performance.now() - started, behind: mergeLoadedBehind(behind) };
}

/** What the load says of a participant it put behind the rows already there. */
export function behindLine(entry: LoadedBehind): string {
  return (
    `${entry.participant}: rows loaded from ${new Date(entry.fromMs).toISOString()}, behind the rows rawdata already held ` +
    `(up to ${new Date(entry.newestBeforeMs).toISOString()}); the stages have moved past them`
  );
}

/**
 * Recomputes each participant the load put behind (unless `--no-reprocess`, or the load went to
 * another database than the stack's rawdata): the stages dead-letter the rows as late, the
 * recomputation brings them in with their context.
 */
async function reprocessBehind(behind: readonly LoadedBehind[], params: LoadCsvParams): Promise<void> {
  if (behind.length === 0) return;
  const stack = loadStackConfig();
  const onStack = params.databaseUrl === stackEndpoints(stack).rawdataUrl;
  const recompute = params.reprocess && onStack;
  for (const entry of behind) {
    console.log(behindLine(entry));
    if (!recompute) {
      const why = params.reprocess ? 'the load went to another database than the stack\'s rawdata' : '--no-reprocess';
      console.log(`  not recomputed (${why}): run polluscope reprocess --participant ${entry.participant} --from ${new Date(entry.fromMs).toISOString()}`);
    }
  }
  if (!recompute) return;
  // One set of connections for every participant.
  await withReprocessTargets(stack, async (targets) => {
    for (const entry of behind) {
      const result = await reprocessParticipant(targets, { participant: entry.participant, fromMs: entry.fromMs });
      console.log(`  ${entry.participant}: ${reprocessedLine(result)}`);
    }
  });
}

const HELP_AFTER = `
Columns are found by header name, case-insensitively; unknown columns are ignored.
Accepted names, sensor files:
${aliasTableLines('sensor').join('\n')}
Accepted names, gps files:
${aliasTableLines('gps').join('\n')}
Times: ISO-8601, or YYYY-MM-DD HH:MM:SS (naive = UTC). Numbers: empty, nan, null, none, na = NULL.
Rejected lines go to the rejects file (line, column, reason, original values); the load goes on.
Lines CSV cannot read (broken quoting, a record over --max-record-kib) are rejected the same way.
In the rejects file a value starting with = + - @ tab CR or ' has a ' added: drop it to read it.
Each participant's rows are inserted in time order: a file already in that order is streamed as
it is read; any other is read whole, sorted in memory (at most --sort-memory-mb), then inserted.
Loading the same file twice adds nothing. An interrupted load resumes from FILE.load-state.json.`;

export function registerLoadCsvCommand(program: Command): void {
  program
    .command('load-csv')
    .description('load historical sensor or GPS CSV exports into the raw database (idempotent, resumable)')
    .argument('<file...>', 'CSV files to load')
    .addOption(new Option('--kind <kind>', 'what the files hold').choices(['sensor', 'gps']).makeOptionMandatory())
    .option('--rejects <file>', 'rejects CSV (one input file only)', undefined)
    .option('--batch-size <lines>', 'lines per batch and transaction', String(DEFAULT_BATCH_SIZE))
    .option('--sort-memory-mb <MiB>', 'memory allowed for sorting a file not in time order per participant', String(DEFAULT_SORT_MEMORY_MB))
    .option('--max-record-kib <KiB>', 'longest CSV record; a longer one (a stray quote…) is rejected and reading resumes at the next line', String(DEFAULT_MAX_RECORD_KIB))
    .option('--database-url <url>', 'raw database (default: the embedded stack\'s rawdata)')
    .option('--no-reprocess', 'do not recompute the participants whose loaded rows lie behind rows already in rawdata (say how instead)')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], options: LoadCsvOptions) => {
      const params = loadCsvParamsFromOptions(files, options, () => stackEndpoints(loadStackConfig()).rawdataUrl);
      const { results, elapsedMs, behind } = await runLoadCsv(params, progressView(process.stderr));
      console.log(formatLoadSummary(results, elapsedMs));
      await reprocessBehind(behind, params);
    });
}
