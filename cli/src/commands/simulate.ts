/**
 * `polluscope simulate`: writes a synthetic study (sensor minutes, GPS, declarations and the
 * ground truth) as CSV files, streamed participant-day by participant-day so that 20 people ×
 * 7 days at 1 Hz never sit in memory. Files are written under temporary names and renamed at
 * the end: a failed run leaves nothing half-written.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { InputError } from '../csv-io.js';
import {
  chunkCsvPieces,
  csvHeader,
  defaultSimulationParams,
  simulate,
  SETTING_NAMES,
  settingsFromNames,
  SIMULATION_FILES,
  validateSimulationParams,
  type CsvPiece,
  type SimulationFile,
  type SimulationParams,
} from '../simulator/index.js';

export interface SimulateOptions {
  readonly participants: string;
  readonly days: string;
  readonly seed: string;
  readonly out: string;
  readonly start: string;
  readonly gpsRateHz: string;
  readonly timeZone: string;
  /** Comma-separated settings (docs/simulator.md, "Settings"); absent or empty: none. */
  readonly settings?: string;
}

export interface SimulateSummary {
  readonly files: Readonly<Record<SimulationFile, string>>;
  readonly rows: Readonly<Record<SimulationFile, number>>;
}

/** Writes pieces; resolves once the stream has room again (backpressure), or null when it has. */
function write(stream: WriteStream, pieces: readonly CsvPiece[]): Promise<void> | null {
  let room = true;
  for (const piece of pieces) room = stream.write(piece);
  if (room) return null;
  // events.once removes its listeners when it settles and rejects on 'error'.
  return once(stream, 'drain').then(() => undefined);
}

function close(stream: WriteStream): Promise<void> {
  stream.end();
  // finished() settles even when the stream already ended or failed.
  return finished(stream);
}

const countLines = (pieces: readonly CsvPiece[]): number => {
  let n = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') for (let i = piece.indexOf('\n'); i !== -1; i = piece.indexOf('\n', i + 1)) n++;
    else for (let i = piece.indexOf(10); i !== -1; i = piece.indexOf(10, i + 1)) n++;
  }
  return n;
};

/** Runs the simulation and writes its files into `outDir`; resolves with paths and row counts. */
export async function writeSimulation(params: SimulationParams, outDir: string): Promise<SimulateSummary> {
  validateSimulationParams(params);
  await mkdir(outDir, { recursive: true });
  const keys = Object.keys(SIMULATION_FILES) as SimulationFile[];
  const files = Object.fromEntries(keys.map((k) => [k, join(outDir, SIMULATION_FILES[k].name)])) as Record<SimulationFile, string>;
  const tmp = Object.fromEntries(keys.map((k) => [k, `${files[k]}.tmp-${process.pid}`])) as Record<SimulationFile, string>;
  const streams = Object.fromEntries(keys.map((k) => [k, createWriteStream(tmp[k])])) as Record<SimulationFile, WriteStream>;
  // An error while nobody awaits the stream must not crash the process: keep it, throw it below.
  let failure: unknown = null;
  for (const k of keys) streams[k].on('error', (err) => (failure ??= err));
  const rows = Object.fromEntries(keys.map((k) => [k, 0])) as Record<SimulationFile, number>;
  try {
    for (const k of keys) await write(streams[k], [csvHeader(k)]);
    for (const chunk of simulate(params)) {
      const texts = chunkCsvPieces(chunk);
      const pending: Promise<void>[] = [];
      for (const k of keys) {
        rows[k] += countLines(texts[k]);
        const wait = write(streams[k], texts[k]);
        if (wait !== null) pending.push(wait);
      }
      await Promise.all(pending);
      if (failure !== null) throw failure;
    }
    await Promise.all(keys.map((k) => close(streams[k])));
    if (failure !== null) throw failure;
    for (const k of keys) await rename(tmp[k], files[k]);
  } catch (err) {
    for (const k of keys) streams[k].destroy();
    await Promise.all(keys.map((k) => rm(tmp[k], { force: true })));
    throw err;
  }
  return { files, rows };
}

function integerOption(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new InputError(`--${name}`, null, null, `not an integer: "${text}"`);
  return value;
}

/** Turns command-line options into simulation parameters, or throws an InputError naming the option. */
export function simulationParamsFromOptions(options: SimulateOptions): SimulationParams {
  let params: SimulationParams = {
    ...defaultSimulationParams,
    participants: integerOption('participants', options.participants),
    days: integerOption('days', options.days),
    seed: integerOption('seed', options.seed),
    startDate: options.start,
    timeZone: options.timeZone,
    gpsRateHz: Number(options.gpsRateHz),
  };
  try {
    const names = (options.settings ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (names.length > 0) params = { ...params, settings: settingsFromNames(names.includes('all') ? SETTING_NAMES : names) };
    validateSimulationParams(params);
  } catch (err) {
    throw new InputError('simulate', null, null, (err as Error).message);
  }
  return params;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('simulate volunteers: sensor.csv, gps.csv, truth_minutes.csv, truth_stops.csv, truth_faults.csv, truth_events.csv')
    .requiredOption('--participants <n>', 'number of participants')
    .requiredOption('--days <d>', 'number of days')
    .requiredOption('--seed <s>', 'integer seed: same seed, same bytes')
    .requiredOption('--out <dir>', 'output directory')
    .option('--start <date>', 'first local day, YYYY-MM-DD', defaultSimulationParams.startDate)
    .option('--gps-rate-hz <hz>', 'GPS fixes per second', String(defaultSimulationParams.gpsRateHz))
    .option('--time-zone <zone>', 'IANA time zone of the routines', defaultSimulationParams.timeZone)
    .option('--settings <list>', `comma-separated realism settings, or "all" (${SETTING_NAMES.join(', ')}); none by default: the output is the one the shipped models were built on`)
    .action(async (options: SimulateOptions) => {
      const summary = await writeSimulation(simulationParamsFromOptions(options), options.out);
      for (const k of Object.keys(summary.files) as SimulationFile[]) {
        console.log(`${summary.files[k]}: ${summary.rows[k]} rows`);
      }
    });
}
