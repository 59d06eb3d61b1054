/**
 * `polluscope gps clean|rasterise|stops` and `polluscope train-transport` (docs/design.md §8): the
 * GPS branch's algorithms on CSV files, calling the same domain functions as the services.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { MOVE_MODES, normaliseLabel, type CanonicalLabel } from '@polluscope/common/domain';
import { cleanGpsPoints, rasterCell, stepSpeedMps, validateGpsRecord, type GpsPoint } from '@polluscope/gps-preprocessing/domain';
import {
  defaultHilbertDensityParams,
  defaultStayPointParams,
  defaultTransportForestParams,
  detectHilbertDensityStops,
  detectStayPoints,
  evaluateLeaveParticipantsOut,
  parseTransportModel,
  predictTransportMode,
  trainTransportModel,
  transportFeatures,
  type Episode,
  type StayPointParams,
  type TrackPoint,
  type TransportModel,
  type TransportSample,
} from '@polluscope/stop-move-detection/domain';
import { formatTime, InputError, numberAt, optionalNumberAt, readCsv, requireColumns, timeAt, writeCsvAtomic, type CsvTable } from '../csv-io.js';

const PARTICIPANT = 'participant_virtual_id';

/** One valid GPS row of a CSV file; `row` indexes the table's rows. */
export interface GpsRow extends TrackPoint {
  readonly participant: string;
  readonly row: number;
}

/** Reads time, lat and lon of every row, or throws an InputError naming the file, line and column. */
export function readGpsRows(table: CsvTable): GpsRow[] {
  requireColumns(table, ['time', 'lat', 'lon']);
  return table.rows.map((r, row) => {
    const timeMs = timeAt(table, r, 'time');
    const lat = numberAt(table, r, 'lat');
    const lon = numberAt(table, r, 'lon');
    const problem = validateGpsRecord({ timeMs, lat, lon });
    if (problem !== null) throw new InputError(table.file, r.line, problem.startsWith('lat') ? 'lat' : 'lon', problem);
    const cell = rasterCell(lat, lon);
    return { participant: r.values[PARTICIPANT] ?? '', row, timeMs, lat, lon, hilbert: cell?.hilbert ?? null };
  });
}

/** Columns of `gps clean`'s outputs: those of gps.clean and gps.dropped (the warehouse's gps_clean and gps_dropped, geom aside). */
export const GPS_CLEAN_COLUMNS = [PARTICIPANT, 'time', 'tablet_id', 'lat', 'lon', 'col', 'row', 'hilbert', 'speed_mps'] as const;
export const GPS_DROPPED_COLUMNS = [PARTICIPANT, 'time', 'tablet_id', 'lat', 'lon', 'reason'] as const;

/**
 * The speed filter of gps-preprocessing on a whole file (`cleanGpsPoints` per participant, in the
 * file's order for equal times, as the service takes them in arrival order): the kept fixes with
 * their cell and speed, and the dropped ones with their reason, each in time order, participants in
 * order of first appearance.
 */
export function cleanGpsTable(table: CsvTable): { kept: Record<string, unknown>[]; dropped: Record<string, unknown>[] } {
  const rows = readGpsRows(table);
  const hasTablet = table.header.includes('tablet_id');
  const byParticipant = new Map<string, Array<GpsPoint & { tabletId: number | null }>>();
  for (const r of rows) {
    const tabletId = hasTablet ? optionalNumberAt(table, table.rows[r.row]!, 'tablet_id') : null;
    const point = { timeMs: r.timeMs, lat: r.lat, lon: r.lon, tabletId };
    const own = byParticipant.get(r.participant);
    if (own) own.push(point);
    else byParticipant.set(r.participant, [point]);
  }
  const kept: Record<string, unknown>[] = [];
  const dropped: Record<string, unknown>[] = [];
  for (const [participant, points] of byParticipant) {
    const result = cleanGpsPoints(points);
    let before: GpsPoint | null = null;
    for (const p of result.kept) {
      const cell = rasterCell(p.lat, p.lon);
      kept.push({
        [PARTICIPANT]: participant,
        time: formatTime(p.timeMs),
        tablet_id: p.tabletId,
        lat: p.lat,
        lon: p.lon,
        col: cell?.col ?? null,
        row: cell?.row ?? null,
        hilbert: cell?.hilbert ?? null,
        speed_mps: before === null ? null : stepSpeedMps(before, p),
      });
      before = p;
    }
    for (const { point: p, reason } of result.dropped) {
      dropped.push({ [PARTICIPANT]: participant, time: formatTime(p.timeMs), tablet_id: p.tabletId, lat: p.lat, lon: p.lon, reason });
    }
  }
  return { kept, dropped };
}

/** Output columns: the input's, then the added ones not already there (those are overwritten in place). */
const withColumns = (header: readonly string[], added: readonly string[]): string[] => [...header, ...added.filter((c) => !header.includes(c))];

export type StopMethod = 'stay-point' | 'hilbert-density';

export interface StopsOptions {
  readonly method: StopMethod;
  readonly stayPoint: StayPointParams;
  readonly transportModel: TransportModel | null;
}

export interface ParticipantEpisodes {
  readonly participant: string;
  /** Episodes in time order; indices refer to `points`. */
  readonly episodes: Episode[];
  /** The cleaned points the detector saw. */
  readonly points: GpsRow[];
  /** For every row of this participant (table row index): the position of its episode in `episodes`. */
  readonly episodeOfRow: Map<number, number>;
}

/**
 * Cleans each participant's points (order, duplicates, speed filter) and detects episodes.
 * Dropped rows take the episode with the latest start not after them (or the first one).
 */
export function detectEpisodes(rows: readonly GpsRow[], options: StopsOptions): ParticipantEpisodes[] {
  const byParticipant = new Map<string, GpsRow[]>();
  for (const r of rows) {
    const list = byParticipant.get(r.participant);
    if (list) list.push(r);
    else byParticipant.set(r.participant, [r]);
  }
  const result: ParticipantEpisodes[] = [];
  for (const [participant, own] of byParticipant) {
    const points = cleanGpsPoints(own).kept;
    const episodes =
      options.method === 'hilbert-density' ? detectHilbertDensityStops(points, defaultHilbertDensityParams) : detectStayPoints(points, options.stayPoint);
    const episodeOfRow = new Map<number, number>();
    episodes.forEach((e, k) => {
      for (let i = e.firstIndex; i <= e.lastIndex; i++) episodeOfRow.set(points[i]!.row, k);
    });
    for (const r of own) {
      if (episodeOfRow.has(r.row) || episodes.length === 0) continue;
      let lo = 0;
      let hi = episodes.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (episodes[mid]!.startMs <= r.timeMs) lo = mid;
        else hi = mid - 1;
      }
      episodeOfRow.set(r.row, lo);
    }
    result.push({ participant, episodes, points, episodeOfRow });
  }
  return result;
}

const EPISODE_COLUMNS = [
  PARTICIPANT,
  'episode_id',
  'episode_type',
  'start',
  'end',
  'duration_s',
  'point_count',
  'centroid_lat',
  'centroid_lon',
  'radius_m',
  'hilbert',
  'distance_m',
  'mean_speed_mps',
  'p50_speed_mps',
  'p95_speed_mps',
  'max_speed_mps',
  'transport_mode',
  'transport_probability',
  'gap',
  'leg_index',
] as const;

function episodeRecord(p: ParticipantEpisodes, k: number, model: TransportModel | null): Record<string, unknown> {
  const e = p.episodes[k]!;
  const record: Record<string, unknown> = {
    [PARTICIPANT]: p.participant,
    episode_id: k + 1,
    episode_type: e.type,
    start: formatTime(e.startMs),
    end: formatTime(e.endMs),
    duration_s: e.durationS,
    point_count: e.pointCount,
    gap: e.gap,
    leg_index: e.type === 'move' ? e.leg : null,
  };
  if (e.type === 'stop') {
    Object.assign(record, { centroid_lat: e.centroidLat, centroid_lon: e.centroidLon, radius_m: e.radiusM, hilbert: e.hilbert });
  } else {
    Object.assign(record, {
      distance_m: e.distanceM,
      mean_speed_mps: e.meanSpeedMps,
      p50_speed_mps: e.p50SpeedMps,
      p95_speed_mps: e.p95SpeedMps,
      max_speed_mps: e.maxSpeedMps,
    });
    if (model !== null) {
      const prediction = predictTransportMode(model, transportFeatures(p.points.slice(e.firstIndex, e.lastIndex + 1)));
      Object.assign(record, { transport_mode: prediction.mode, transport_probability: prediction.probability });
    }
  }
  return record;
}

function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(value)}\n`);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function readTransportModel(file: string): Promise<TransportModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(file, null, null, 'file not found');
  }
  try {
    return parseTransportModel(JSON.parse(text));
  } catch (err) {
    throw new InputError(file, null, null, (err as Error).message);
  }
}

/** Minute labels of a truth file: participant → minute (epoch min) → canonical label or null. */
export function readTruthMinutes(table: CsvTable): Map<string, Map<number, CanonicalLabel | null>> {
  requireColumns(table, [PARTICIPANT, 'time', 'micro_environment']);
  const truth = new Map<string, Map<number, CanonicalLabel | null>>();
  for (const r of table.rows) {
    const participant = r.values[PARTICIPANT] ?? '';
    const minute = Math.floor(timeAt(table, r, 'time') / 60_000);
    let own = truth.get(participant);
    if (!own) truth.set(participant, (own = new Map()));
    own.set(minute, normaliseLabel(r.values.micro_environment));
  }
  return truth;
}

/** Moves shorter than this many points carry too little motion to learn from. */
const MIN_TRAINING_MOVE_POINTS = 10;

/**
 * Labelled moves for training: stay-point moves of each participant, labelled with the majority
 * canonical label of the minutes they span (unknown minutes ignored; ties to the earlier
 * MOVE_MODES entry); moves whose majority is not a move mode, or with fewer than 10 points, are
 * left out.
 */
export function buildTransportSamples(rows: readonly GpsRow[], truth: Map<string, Map<number, CanonicalLabel | null>>): TransportSample[] {
  const samples: TransportSample[] = [];
  for (const p of detectEpisodes(rows, { method: 'stay-point', stayPoint: defaultStayPointParams, transportModel: null })) {
    const minutes = truth.get(p.participant);
    if (!minutes) continue;
    for (const e of p.episodes) {
      if (e.type !== 'move' || e.pointCount < MIN_TRAINING_MOVE_POINTS) continue;
      const counts = new Map<CanonicalLabel, number>();
      for (let m = Math.floor(e.startMs / 60_000); m <= Math.floor(e.endMs / 60_000); m++) {
        const label = minutes.get(m);
        if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      let label: CanonicalLabel | null = null;
      let best = 0;
      for (const [l, c] of counts) {
        if (c > best || (c === best && label !== null && MOVE_MODES.indexOf(l) >= 0 && MOVE_MODES.indexOf(l) < MOVE_MODES.indexOf(label))) {
          label = l;
          best = c;
        }
      }
      if (label === null || !MOVE_MODES.includes(label)) continue;
      samples.push({ participantId: p.participant, label, features: transportFeatures(p.points.slice(e.firstIndex, e.lastIndex + 1)) });
    }
  }
  return samples;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** The LPO report printed by `train-transport`. */
export function formatEvaluation(result: ReturnType<typeof evaluateLeaveParticipantsOut>, samples: number): string {
  const width = Math.max(8, ...result.labels.map((l) => l.length));
  const lines = [
    `samples: ${samples}, folds: ${result.folds.length} (leave participants out)`,
    `accuracy: ${pct(result.accuracy)}, macro-F1: ${result.macroF1.toFixed(3)}`,
    'confusion matrix (rows: truth, columns: predicted):',
    ['', ...result.labels].map((l) => l.padStart(width)).join(' '),
    ...result.confusion.map((row, i) => [result.labels[i]!, ...row.map(String)].map((c) => c.padStart(width)).join(' ')),
    ...result.perLabel.map((m) => `${m.label}: precision ${pct(m.precision)}, recall ${pct(m.recall)}, F1 ${m.f1.toFixed(3)}, support ${m.support}`),
  ];
  return lines.join('\n');
}

export function registerGpsCommands(program: Command): void {
  const gps = program.command('gps').description('GPS algorithms on CSV files: clean, rasterise, stops');

  gps
    .command('clean')
    .description('the speed filter of gps-preprocessing (docs/design.md §5.3): kept fixes as gps_clean rows, dropped ones with their reason as gps_dropped rows')
    .requiredOption('--input <file>', 'CSV with time, lat, lon [, participant_virtual_id, tablet_id]')
    .requiredOption('--output <file>', 'kept fixes, gps_clean\'s columns, written atomically')
    .option('--dropped <file>', 'also write the dropped fixes, gps_dropped\'s columns (reason: duplicate, same-time, too-fast)')
    .action(async (options: { input: string; output: string; dropped?: string }) => {
      const { kept, dropped } = cleanGpsTable(await readCsv(options.input));
      // The dropped fixes first: the kept ones appearing last means both are complete.
      if (options.dropped) await writeCsvAtomic(options.dropped, GPS_DROPPED_COLUMNS, dropped);
      await writeCsvAtomic(options.output, GPS_CLEAN_COLUMNS, kept);
      const reasons = new Map<string, number>();
      for (const d of dropped) reasons.set(String(d.reason), (reasons.get(String(d.reason)) ?? 0) + 1);
      const byReason = [...reasons].sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${reason} ${n}`);
      console.log(`${options.output}: ${kept.length} fixes kept, ${dropped.length} dropped${byReason.length > 0 ? ` (${byReason.join(', ')})` : ''}`);
    });

  gps
    .command('rasterise')
    .description('add col, row, hilbert (the original grid, docs/design.md §5.3); empty outside the grid')
    .requiredOption('--input <file>', 'CSV with time, lat, lon')
    .requiredOption('--output <file>', 'CSV written atomically')
    .action(async (options: { input: string; output: string }) => {
      const table = await readCsv(options.input);
      requireColumns(table, ['lat', 'lon']);
      const records = table.rows.map((r) => {
        const lat = numberAt(table, r, 'lat');
        const lon = numberAt(table, r, 'lon');
        const problem = validateGpsRecord({ timeMs: 0, lat, lon });
        if (problem !== null) throw new InputError(table.file, r.line, problem.startsWith('lat') ? 'lat' : 'lon', problem);
        const cell = rasterCell(lat, lon);
        return { ...r.values, col: cell?.col ?? null, row: cell?.row ?? null, hilbert: cell?.hilbert ?? null };
      });
      await writeCsvAtomic(options.output, withColumns(table.header, ['col', 'row', 'hilbert']), records);
      console.log(`${options.output}: ${records.length} rows`);
    });

  gps
    .command('stops')
    .description('add episode_type (stop|move) and episode_id per point, per participant, after cleaning (docs/design.md §5.4)')
    .requiredOption('--input <file>', 'CSV with time, lat, lon [, participant_virtual_id]')
    .requiredOption('--output <file>', 'CSV written atomically, input order and columns kept')
    .option('--episodes <file>', 'also write one row per episode with its statistics')
    .addOption(new Option('--method <method>', 'stop detector').choices(['stay-point', 'hilbert-density']).default('stay-point'))
    .option('--max-diameter <m>', 'stay-point: stop diameter, metres', positiveNumber('--max-diameter'), defaultStayPointParams.maxDiameterM)
    .option('--min-duration <s>', 'stay-point: minimum stop duration, seconds', positiveNumber('--min-duration'), defaultStayPointParams.minDurationS)
    .option('--min-points <n>', 'stay-point: minimum fixes in a stop', positiveNumber('--min-points'), defaultStayPointParams.minPoints)
    .option('--max-gap <s>', 'stay-point: a gap between fixes longer than this ends a stop, not a move, seconds', positiveNumber('--max-gap'), defaultStayPointParams.maxGapS)
    .option(
      '--max-move-gap <s>',
      'stay-point: a gap between fixes longer than this ends a move too, seconds (at least --max-gap)',
      positiveNumber('--max-move-gap'),
      defaultStayPointParams.maxMoveGapS,
    )
    .option(
      '--max-stop-gap <s>',
      'stay-point: a gap between fixes at one place (sides within --max-diameter) of at most this is spanned by one stop, seconds (at least --max-gap)',
      positiveNumber('--max-stop-gap'),
      defaultStayPointParams.maxStopGapS,
    )
    .option('--max-jitter <m>', 'stay-point: a confirmed stop keeps fixes within this of its centroid, metres (default: --max-diameter)', positiveNumber('--max-jitter'))
    .option('--max-excursion <m>', 'stay-point: an excursion absorbed into a stop stays within this of its centroid, metres (default: 2 × --max-diameter)', positiveNumber('--max-excursion'))
    .option('--leg-speed <mps>', 'stay-point: moves split into legs where step speeds cross this for --min-leg-duration, m/s', positiveNumber('--leg-speed'), defaultStayPointParams.legSpeedMps)
    .option('--min-leg-duration <s>', 'stay-point: shortest leg, seconds', positiveNumber('--min-leg-duration'), defaultStayPointParams.minLegDurationS)
    .option('--transport-model <file>', 'classify moves with this model (episodes file only)')
    .action(
      async (
        options: {
          input: string;
          output: string;
          episodes?: string;
          method: StopMethod;
          maxDiameter: number;
          minDuration: number;
          minPoints: number;
          maxGap: number;
          maxMoveGap: number;
          maxStopGap: number;
          maxJitter?: number;
          maxExcursion?: number;
          legSpeed: number;
          minLegDuration: number;
          transportModel?: string;
        },
        command: Command,
      ) => {
        if (options.maxMoveGap < options.maxGap) {
          command.error(`error: --max-move-gap (${options.maxMoveGap} s) must be at least --max-gap (${options.maxGap} s)`, { code: 'polluscope.invalidGaps' });
        }
        if (options.maxStopGap < options.maxGap) {
          command.error(`error: --max-stop-gap (${options.maxStopGap} s) must be at least --max-gap (${options.maxGap} s)`, { code: 'polluscope.invalidGaps' });
        }
        const model = options.transportModel ? await readTransportModel(options.transportModel) : null;
        const table = await readCsv(options.input);
        const rows = readGpsRows(table);
        const found = detectEpisodes(rows, {
          method: options.method,
          stayPoint: {
            ...defaultStayPointParams,
            maxDiameterM: options.maxDiameter,
            minDurationS: options.minDuration,
            minPoints: options.minPoints,
            maxGapS: options.maxGap,
            maxMoveGapS: options.maxMoveGap,
            maxStopGapS: options.maxStopGap,
            maxJitterM: options.maxJitter,
            maxExcursionM: options.maxExcursion,
            legSpeedMps: options.legSpeed,
            minLegDurationS: options.minLegDuration,
          },
          transportModel: model,
        });
        const labels = new Array<{ type: string; id: number } | undefined>(table.rows.length);
        for (const p of found) {
          for (const [row, k] of p.episodeOfRow) labels[row] = { type: p.episodes[k]!.type, id: k + 1 };
        }
        const records = table.rows.map((r, i) => ({ ...r.values, episode_type: labels[i]?.type ?? null, episode_id: labels[i]?.id ?? null }));
        // Write the episodes first: the per-point output appearing last means both are complete.
        if (options.episodes) {
          const episodeRows = found.flatMap((p) => p.episodes.map((_, k) => episodeRecord(p, k, model)));
          await writeCsvAtomic(options.episodes, EPISODE_COLUMNS, episodeRows);
        }
        await writeCsvAtomic(options.output, withColumns(table.header, ['episode_type', 'episode_id']), records);
        const stops = found.reduce((n, p) => n + p.episodes.filter((e) => e.type === 'stop').length, 0);
        const total = found.reduce((n, p) => n + p.episodes.length, 0);
        console.log(`${options.output}: ${records.length} rows, ${stops} stops, ${total - stops} moves (${options.method})`);
      },
    );

  program
    .command('train-transport')
    .description('train the transport-mode random forest from GPS + per-minute labels, print leave-participants-out metrics')
    .requiredOption('--gps <file>', 'CSV: participant_virtual_id, time, lat, lon')
    .requiredOption('--truth <file>', 'CSV: participant_virtual_id, time, micro_environment (one row per minute)')
    .requiredOption('--output <file>', 'model JSON, written atomically')
    .option('--seed <n>', 'random seed', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new InvalidArgumentError(`--seed must be an integer, got "${v}"`);
      return n;
    }, defaultTransportForestParams.seed)
    .option('--trees <n>', 'number of trees', positiveNumber('--trees'), defaultTransportForestParams.nEstimators)
    .action(async (options: { gps: string; truth: string; output: string; seed: number; trees: number }) => {
      const rows = readGpsRows(await readCsv(options.gps));
      const truth = readTruthMinutes(await readCsv(options.truth));
      const samples = buildTransportSamples(rows, truth);
      if (samples.length === 0) throw new InputError(options.truth, null, 'micro_environment', 'no move matches a labelled transport minute');
      const params = { ...defaultTransportForestParams, seed: options.seed, nEstimators: Math.round(options.trees) };
      console.log(formatEvaluation(evaluateLeaveParticipantsOut(samples, params), samples.length));
      const model = trainTransportModel(samples, params);
      await writeJsonAtomic(options.output, model);
      console.log(`${options.output}: ${model.trees.length} trees, labels ${model.labels.join(', ')}`);
    });
}
