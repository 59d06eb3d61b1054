/**
 * `polluscope sensors clean`, `polluscope classify` and `polluscope train` (docs/design.md §8): the
 * time-series branch's algorithms on CSV files, calling the same domain functions as the services.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  buildActivitySamples,
  classifySegment,
  crossValidationReport,
  defaultClassifySegmentParams,
  defaultTrainActivityModelParams,
  ignoredFeatureIndices,
  defaultTimeOfDayRulesParams,
  loadActivityModel,
  parseBelowConfidence,
  segmentRows,
  trainActivityModel,
  type ActivityModel,
  type ActivitySample,
  type ActivitySegment,
  type ClassificationMetrics,
  type CrossValidationReport,
  type MeasuredMinute,
  type TrainActivityModelParams,
} from '@polluscope/classification-validation/domain';
import { cleanSensorSeries, defaultCleaningParams, SENSOR_VARIABLES, type CleaningParams, type CleanSensorRow, type SensorRow } from '@polluscope/timeseries-preprocessing/domain';
import {
  formatTime,
  InputError,
  optionalNumberAt,
  readCsv,
  requireColumns,
  timeAt,
  writeCsvAtomic,
  type CsvRow,
  type CsvTable,
} from '../csv-io.js';
import { addReviewOptions, flagOnSensorEvidence, reviewParams, type ReviewOptions } from './review-flags.js';
import { scoreCommand } from './sensors-score.js';
import { simulatedTrainingSamples, TRAINING_SCENARIOS } from './train-simulated.js';

const PARTICIPANT = 'participant_virtual_id';
const QUALITY_FLAGS = 'quality_flags';
const IMPUTED_COLUMNS = SENSOR_VARIABLES.map((v) => `imputed_${v}` as const);

/** The shipped default model, relative to the repository root. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../models/activity-model.json', import.meta.url));

interface ParticipantRows {
  readonly participantId: string;
  readonly rows: (SensorRow & { readonly source: CsvRow })[];
}

/** Reads sensor rows grouped by participant (first-appearance order); bad cells throw InputError. */
export function readSensorRows(table: CsvTable): ParticipantRows[] {
  requireColumns(table, [PARTICIPANT, 'time']);
  const groups = new Map<string, ParticipantRows>();
  for (const row of table.rows) {
    const participantId = (row.values[PARTICIPANT] ?? '').trim();
    if (participantId === '') throw new InputError(table.file, row.line, PARTICIPANT, 'empty participant id');
    const values = {} as Record<(typeof SENSOR_VARIABLES)[number], number | null>;
    for (const v of SENSOR_VARIABLES) values[v] = table.header.includes(v) ? optionalNumberAt(table, row, v) : null;
    const group = groups.get(participantId) ?? { participantId, rows: [] };
    group.rows.push({ timeMs: timeAt(table, row, 'time'), ...values, activity: text(row.values['activity']), event: text(row.values['event']), source: row });
    groups.set(participantId, group);
  }
  return [...groups.values()];
}

/** True when the file already went through `sensors clean`. */
export function isCleaned(table: CsvTable): boolean {
  return table.header.includes(QUALITY_FLAGS);
}

/** Cleans each participant's rows; keeps the source row of each cleaned minute for pass-through. */
export function cleanParticipants(
  groups: readonly ParticipantRows[],
  params: CleaningParams = defaultCleaningParams,
): { participantId: string; rows: { clean: CleanSensorRow; source: CsvRow }[] }[] {
  return groups.map(({ participantId, rows }) => {
    const sourceAt = new Map(rows.map((r) => [r.timeMs, r.source]));
    return { participantId, rows: cleanSensorSeries(rows, params).map((clean) => ({ clean, source: sourceAt.get(clean.timeMs)! })) };
  });
}

async function cleanCommand(options: { input: string; output: string }): Promise<void> {
  const table = await readCsv(options.input);
  const cleaned = cleanParticipants(readSensorRows(table));
  const added = [...IMPUTED_COLUMNS, QUALITY_FLAGS].filter((c) => !table.header.includes(c));
  const columns = [...table.header, ...SENSOR_VARIABLES.filter((v) => !table.header.includes(v)), ...added];
  const out: Record<string, unknown>[] = [];
  for (const { rows } of cleaned) {
    for (const { clean, source } of rows) {
      const record: Record<string, unknown> = { ...source.values, time: formatTime(clean.timeMs), [QUALITY_FLAGS]: clean.qualityFlags };
      for (const v of SENSOR_VARIABLES) {
        record[v] = clean[v];
        record[`imputed_${v}`] = clean[`imputed_${v}`];
      }
      out.push(record);
    }
  }
  await writeCsvAtomic(options.output, columns, out);
  console.log(`cleaned ${out.length} rows of ${cleaned.length} participant(s) → ${options.output}`);
}

/** Cleaned minutes per participant from a raw or already cleaned sensor file. */
export async function readCleanMinutes(file: string): Promise<{ participantId: string; rows: MeasuredMinute[] }[]> {
  const table = await readCsv(file);
  const groups = readSensorRows(table);
  if (isCleaned(table)) return groups.map(({ participantId, rows }) => ({ participantId, rows }));
  return cleanParticipants(groups).map(({ participantId, rows }) => ({ participantId, rows: rows.map((r) => r.clean) }));
}

/** Reads and checks a model file. */
export async function readModel(file: string): Promise<ActivityModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(file, null, null, 'model file not found');
  }
  try {
    return loadActivityModel(JSON.parse(text));
  } catch (err) {
    throw new InputError(file, null, null, (err as Error).message);
  }
}

/** Output rows of `classify`, one per segment; `flagged` is the segment's review flag within its participant-day's budget. */
export function segmentRecord(participantId: string, s: ActivitySegment, flagged: boolean): Record<string, unknown> {
  return {
    [PARTICIPANT]: participantId,
    segment_start: formatTime(s.segmentStartMs),
    segment_end: formatTime(s.segmentEndMs),
    label: s.label,
    model_label: s.modelLabel,
    rule: s.rule,
    confidence: round(s.confidence),
    probabilities: JSON.stringify(Object.fromEntries(Object.entries(s.probabilities).map(([k, v]) => [k, round(v)]))),
    views_present: s.viewsPresent.join(';'),
    minutes: s.minutes,
    declared_label: s.declaredLabel,
    match: s.match,
    needs_review: flagged,
    review_reason: flagged ? s.reviewReason : null,
    review_wrong_probability: s.wrongProbability === null ? null : round(s.wrongProbability),
  };
}

const SEGMENT_COLUMNS = [PARTICIPANT, 'segment_start', 'segment_end', 'label', 'model_label', 'rule', 'confidence', 'probabilities', 'views_present', 'minutes', 'declared_label', 'match', 'needs_review', 'review_reason', 'review_wrong_probability'];

interface ClassifyOptions extends ReviewOptions {
  input: string;
  output: string;
  model: string;
  timeZone: string;
  rulesBelowConfidence: string;
}

async function classifyCommand(options: ClassifyOptions): Promise<void> {
  const { candidate, budget } = reviewParams(options);
  checkTimeZone(options.timeZone);
  const model = await readModel(options.model);
  const params = {
    ...defaultClassifySegmentParams,
    rules: { ...defaultTimeOfDayRulesParams, timeZone: options.timeZone, belowConfidence: rulesBelowConfidence(options.rulesBelowConfidence) },
    validation: candidate,
  };
  const classified: { participantId: string; segment: ActivitySegment }[] = [];
  for (const { participantId, rows } of await readCleanMinutes(options.input)) {
    for (const segment of segmentRows(rows)) classified.push({ participantId, segment: classifySegment(segment.startMs, segment.rows, model, params) });
  }
  const flags = flagOnSensorEvidence(
    classified.map(({ participantId, segment }) => ({ participantId, segmentStartMs: segment.segmentStartMs, reviewReason: segment.reviewReason, wrongProbability: segment.wrongProbability })),
    budget,
    options.timeZone,
  );
  const out = classified.map(({ participantId, segment }, i) => segmentRecord(participantId, segment, flags[i] === true));
  await writeCsvAtomic(options.output, SEGMENT_COLUMNS, out);
  const candidates = classified.filter(({ segment }) => segment.needsReview).length;
  const review = flags.filter(Boolean).length;
  console.log(`classified ${out.length} segments (${review} flagged for review within a budget of ${budget.maxShare} of each participant-day, of ${candidates} candidates) → ${options.output}`);
}

/** Formats metrics as the lines `train` prints: totals, per-label scores, confusion matrix. */
export function formatMetrics(m: ClassificationMetrics & { folds: number }, title = 'leave-participants-out cross-validation'): string {
  const width = Math.max(8, ...m.labels.map((l) => l.length));
  const present = m.labels.filter((l) => m.support[l] !== undefined);
  const lines = [
    `${title} (${m.folds} folds, ${m.samples} segments)`,
    `accuracy ${m.accuracy.toFixed(3)}  macro-F1 ${m.macroF1.toFixed(3)}`,
    ['label', 'precision', 'recall', 'F1', 'segments'].map((c, i) => (i === 0 ? c.padEnd(width) : c.padStart(9))).join(' '),
    ...present.map((l) =>
      [l.padEnd(width), ...[m.precision[l]!, m.recall[l]!, m.f1[l]!].map((x) => x.toFixed(3).padStart(9)), String(m.support[l]!).padStart(9)].join(' '),
    ),
    'confusion matrix (rows: true, columns: predicted)',
    ['', ...m.labels].map((l) => l.padStart(width)).join(' '),
    ...m.labels.map((l, i) => [l, ...m.confusion[i]!.map(String)].map((c) => c.padStart(width)).join(' ')),
  ];
  return lines.join('\n');
}

/** The `train` printout: the forests alone, then with the time-of-day rules. */
export function formatReport(report: CrossValidationReport): string {
  const parts = [formatMetrics({ ...report.forests, folds: report.folds }, 'leave-participants-out cross-validation, forests alone')];
  if (report.withRules) parts.push(formatMetrics({ ...report.withRules, folds: report.folds }, 'leave-participants-out cross-validation, with the time-of-day rules'));
  return parts.join('\n\n');
}

function evaluationOf(m: ClassificationMetrics): Record<string, unknown> {
  return { samples: m.samples, accuracy: m.accuracy, macroF1: m.macroF1, labels: m.labels, confusion: m.confusion, f1: m.f1 };
}

interface TrainOptions {
  sensors?: string;
  labels?: string;
  simulate?: string;
  simulationSeeds: string;
  participants: string;
  days: string;
  output: string;
  seed: string;
  labelColumn: string;
  folds: string;
  timeZone: string;
  rulesBelowConfidence: string;
  ignoreFeatures?: string;
  viewClassWeightExponent?: string;
  metaClassWeightExponent?: string;
}

/** Labelled segments from the files, or simulated (`--simulate`) with the simulator's truth. */
async function trainingSamples(options: TrainOptions, sampleParams: typeof defaultClassifySegmentParams): Promise<ActivitySample[]> {
  if (options.simulate !== undefined) {
    const list = (text: string) => text.split(',').map((x) => x.trim()).filter((x) => x !== '');
    return simulatedTrainingSamples({
      scenarios: list(options.simulate),
      seeds: list(options.simulationSeeds).map((x) => integer('--simulation-seeds', x, 0)),
      participants: integer('--participants', options.participants, 2),
      days: integer('--days', options.days, 1),
      timeZone: options.timeZone,
    });
  }
  if (options.sensors === undefined || options.labels === undefined) throw new InputError('train', null, null, '--sensors and --labels are required (or --simulate)');
  const minutes = await readCleanMinutes(options.sensors);
  const labelTable = await readCsv(options.labels);
  requireColumns(labelTable, [PARTICIPANT, 'time', options.labelColumn]);
  const labels = new Map<string, { timeMs: number; label: string | null }[]>();
  for (const row of labelTable.rows) {
    const id = (row.values[PARTICIPANT] ?? '').trim();
    const list = labels.get(id) ?? [];
    list.push({ timeMs: timeAt(labelTable, row, 'time'), label: text(row.values[options.labelColumn]) });
    labels.set(id, list);
  }
  const samples = minutes.flatMap(({ participantId, rows }) => buildActivitySamples(participantId, rows, labels.get(participantId) ?? [], sampleParams));
  if (samples.length === 0) throw new InputError(options.labels, null, options.labelColumn, 'no segment has both sensor values and a known label');
  return samples;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || Math.abs(n) > 2 ** 31 - 1) throw new InputError(name, null, null, `must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function exponent(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!(x >= 0 && x <= 1)) throw new InputError(name, null, null, `must be a number in [0, 1], got "${value}"`);
  return x;
}

/** The training parameters of the options: seed, ignored features, class-weight exponents. */
function trainingParams(options: TrainOptions): Partial<TrainActivityModelParams> {
  const seed = Number(options.seed);
  if (!Number.isInteger(seed) || Math.abs(seed) > 2 ** 31 - 1) throw new InputError('--seed', null, null, `must be a 32-bit integer, got "${options.seed}"`);
  const d = defaultTrainActivityModelParams;
  const ignoredFeatures = (options.ignoreFeatures ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
  try {
    ignoredFeatureIndices(ignoredFeatures);
  } catch (err) {
    throw new InputError('--ignore-features', null, null, (err as Error).message);
  }
  return {
    seed,
    ignoredFeatures,
    forest: { ...d.forest, classWeightExponent: exponent('--view-class-weight-exponent', options.viewClassWeightExponent, d.forest.classWeightExponent) },
    metaForest: { ...d.metaForest, classWeightExponent: exponent('--meta-class-weight-exponent', options.metaClassWeightExponent, d.metaForest.classWeightExponent) },
  };
}

async function trainCommand(options: TrainOptions): Promise<void> {
  const training = trainingParams(options);
  const folds = Number(options.folds);
  if (!Number.isInteger(folds) || folds < 0 || folds === 1) throw new InputError('--folds', null, null, `must be 0 (no cross-validation) or an integer ≥ 2, got "${options.folds}"`);
  checkTimeZone(options.timeZone);
  const sampleParams = { ...defaultClassifySegmentParams, context: { timeZone: options.timeZone } };
  const samples = await trainingSamples(options, sampleParams);
  const rules = { ...defaultTimeOfDayRulesParams, timeZone: options.timeZone, belowConfidence: rulesBelowConfidence(options.rulesBelowConfidence) };
  const report = folds === 0 ? null : crossValidationReport(samples, { folds, training, rules });
  if (report !== null) console.log(formatReport(report));
  const model = {
    ...trainActivityModel(samples, training),
    evaluation:
      report === null
        ? null
        : {
            method: 'leave-participants-out',
            folds: report.folds,
            timeZone: options.timeZone,
            ...evaluationOf(report.forests),
            withRules: report.withRules === null ? null : evaluationOf(report.withRules),
          },
    ...(options.simulate === undefined ? {} : { trainingData: { simulated: options.simulate, seeds: options.simulationSeeds, participants: options.participants, days: options.days } }),
  };
  await writeJsonAtomic(options.output, model);
  console.log(`model (${model.labels.length} labels, ${samples.length} segments, seed ${training.seed}) → ${options.output}`);
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(value)}\n`);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `--rules-below-confidence`: a number in [0, 1], or `always` (the rules change every label, as the original). */
export function rulesBelowConfidence(text: string): number | null {
  const parsed = parseBelowConfidence(text);
  if (!parsed.ok) throw new InputError('--rules-below-confidence', null, null, parsed.reason);
  return parsed.value;
}

const RULES_BELOW_CONFIDENCE_HELP = 'the time-of-day rules change only labels with a lower confidence; "always" for every label';

/** Throws an InputError naming --time-zone unless the IANA zone exists. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new InputError('--time-zone', null, null, `unknown time zone "${timeZone}"`);
  }
}

function text(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Registers `sensors clean`, `classify` and `train`. */
export function registerSensorCommands(program: Command): void {
  const sensors = program.command('sensors').description('sensor time series');
  sensors
    .command('clean')
    .description('clean 1-minute sensor rows: instrument limits and high flags, NO2 warm-up, one-channel glitches, imputation (docs/design.md §5.1)')
    .requiredOption('--input <file>', 'sensor CSV (participant_virtual_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity, event)')
    .requiredOption('--output <file>', 'cleaned CSV: values, imputed_<variable>, quality_flags')
    .action(cleanCommand);
  sensors
    .command('score')
    .description('clean a simulation\u2019s sensor.csv and score it against truth_faults.csv and truth_events.csv: precision and recall of removals, real-event minutes kept')
    .requiredOption('--input <dir>', 'directory written by `polluscope simulate`')
    .option('--min-jump <floors>', 'try other glitch floors (of a rise; temperature and humidity: rise and drop), e.g. "humidity=15,bc=3000" (units of each variable); `sensors clean` and the service keep the defaults')
    .action(scoreCommand);
  const classify = program
    .command('classify')
    .description('classify 5-minute segments and validate them against declarations (docs/design.md §5.2)')
    .requiredOption('--input <file>', 'raw or cleaned sensor CSV')
    .requiredOption('--output <file>', 'one row per segment')
    .option('--model <file>', 'activity model JSON', DEFAULT_MODEL_PATH)
    .option('--time-zone <zone>', 'participants\u2019 IANA time zone for the time-of-day rules', 'Europe/Paris')
    .option('--rules-below-confidence <p>', RULES_BELOW_CONFIDENCE_HELP, String(defaultTimeOfDayRulesParams.belowConfidence));
  addReviewOptions(classify).action(classifyCommand);
  program
    .command('train')
    .description('train the activity model and print leave-participants-out accuracy, macro-F1 and confusion matrix')
    .option('--sensors <file>', 'raw or cleaned sensor CSV (required unless --simulate)')
    .option('--labels <file>', 'participant_virtual_id, time, label column, one row per minute (required unless --simulate)')
    .option('--simulate <scenarios>', `instead of files: train on simulated volunteers of these scenarios (${TRAINING_SCENARIOS.map((s) => s.name).join(', ')}; the first nine are evaluate --unseen's), labelled with the simulator's truth`)
    .option('--simulation-seeds <list>', 'with --simulate: simulator seeds, each scenario simulated with each (keep them apart from the evaluation seeds)', '101')
    .option('--participants <n>', 'with --simulate: participants per scenario and seed', '12')
    .option('--days <d>', 'with --simulate: days per scenario (the weekend scenario has 2)', '3')
    .requiredOption('--output <file>', 'model JSON to write')
    .option('--ignore-features <list>', 'features the model must never read, held constant in training: view_feature names (temperature_mean) or context names (weekend)')
    .option('--view-class-weight-exponent <x>', `view forests: a class's share of each bootstrap ∝ count^x (1 prior, 0 balanced)`, String(defaultTrainActivityModelParams.forest.classWeightExponent))
    .option('--meta-class-weight-exponent <x>', 'meta forest: the same', String(defaultTrainActivityModelParams.metaForest.classWeightExponent))
    .option('--seed <n>', 'random seed (32-bit integer)', '42')
    .option('--label-column <name>', 'label column of the labels file', 'micro_environment')
    .option('--folds <n>', 'participant groups for cross-validation; 0 skips it', '4')
    .option('--time-zone <zone>', 'participants\u2019 IANA time zone for the context features and the time-of-day rules', 'Europe/Paris')
    .option('--rules-below-confidence <p>', RULES_BELOW_CONFIDENCE_HELP, String(defaultTimeOfDayRulesParams.belowConfidence))
    .action(trainCommand);
}
