/**
 * `polluscope evaluate` (docs/design.md §5.2, "An honest evaluation"): leave-participants-out folds on
 * labelled volunteers (the simulator's), the model and its baselines trained on the volunteers'
 * declarations and scored on the truth, every figure with a 95 % interval from resampling
 * participants. The algorithms are the domain's; this file reads, loops over folds and prints.
 */
import type { Command } from 'commander';
import { labelGroup, CANONICAL_LABELS, type CanonicalLabel, type ReviewBudgetParams, type ReviewCandidateParams } from '@polluscope/common/domain';
import {
  buildEvaluationSegments,
  defaultClassifySegmentParams,
  defaultTimeOfDayRulesParams,
  EVALUATED_METHODS,
  exposureShareErrors,
  meanShareErrors,
  OVERALL_FIGURES,
  participantBootstrap,
  VIEW_FEATURES,
  VIEWS,
  type DayShareErrors,
  participantFolds,
  predictHeldOutWithConfidence,
  scoreWithIntervals,
  type ReviewFlagScores,
  type ActivityModel,
  type EvaluatedMethod,
  type EvaluationSegment,
  type Interval,
  type ScoredPredictions,
  type View,
} from '@polluscope/classification-validation/domain';
import { InputError, readCsv, requireColumns, timeAt } from '../csv-io.js';
import { addReviewOptions, reviewParams, scoreSensorReview, type ReviewOptions } from './review-flags.js';
import { DEFAULT_TRANSPORT_MODEL_PATH, formatUnseen, scoreScenario, UNSEEN_SCENARIOS, type UnseenParams, type UnseenScenario } from './evaluate-unseen.js';
import { readTransportModel } from './gps.js';
import { checkTimeZone, DEFAULT_MODEL_PATH, readCleanMinutes, readModel, rulesBelowConfidence, writeJsonAtomic } from './sensors.js';

const PARTICIPANT = 'participant_virtual_id';

/** What each method is, as the table prints it. */
export const METHOD_DESCRIPTIONS: Readonly<Record<EvaluatedMethod, string>> = Object.freeze({
  majority: 'baseline: commonest declared label',
  clock: 'baseline: local hour and weekend only',
  'sensors-no-time': 'baseline: stacked model, no hour/weekend',
  model: 'stacked model, forests alone',
  'model-rules': 'stacked model + time-of-day rules',
  pretrained: '--model as is, forests alone',
  'pretrained-rules': '--model as is + time-of-day rules',
});

export interface EvaluationReport {
  readonly sensors: string;
  readonly truth: string;
  readonly participants: number;
  readonly segments: number;
  /** Segments with a declared label, the only ones the methods train on. */
  readonly declaredSegments: number;
  /** Segments whose majority declaration differs from the truth. */
  readonly wrongDeclarations: number;
  readonly folds: number;
  readonly trainingSeed: number;
  readonly bootstrap: { readonly resamples: number; readonly seed: number; readonly level: number };
  readonly pretrainedModel: string | null;
  readonly labels: readonly string[];
  readonly methods: Partial<Record<EvaluatedMethod, ScoredPredictions>>;
  /** Errors of the micro-environments' shares of each participant-day's exposure to `pollutant`. */
  readonly exposure: { readonly pollutant: View; readonly participantDays: number; readonly methods: Partial<Record<EvaluatedMethod, Record<string, Interval>>> };
  /**
   * The review flag of the methods the services answer (with the rules), decided as `classify`
   * does, on the sensor evidence alone, and scored on the truth.
   */
  readonly review: { readonly candidate: ReviewCandidateParams; readonly budget: ReviewBudgetParams; readonly methods: Partial<Record<EvaluatedMethod, ReviewFlagScores>> };
  readonly seconds: number;
}

export const REVIEWED_METHODS = ['model-rules', 'pretrained-rules'] as const satisfies readonly EvaluatedMethod[];


/** The review lines of the printout: per method, share flagged, precision, recall, and per reason. */
function formatReview(review: EvaluationReport['review']): string[] {
  const methods = REVIEWED_METHODS.filter((m) => review.methods[m] !== undefined);
  if (methods.length === 0) return [];
  const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '—');
  const lines = [
    '',
    `review flag on the sensor evidence alone (as classify): budget ${review.budget.maxShare} of each participant-day (rounded down), wrong probability ≥ ${review.budget.minWrongProbability}, ` +
      `low confidence below ${review.candidate.minConfidence}, declarations ${review.candidate.declarationReliability} reliable`,
  ];
  for (const m of methods) {
    const r = review.methods[m]!;
    lines.push(
      `  ${m}: ${r.flagged} of ${r.segments} segments flagged (${percent(r.share)}); precision ${percent(r.precision)} (${r.flaggedWrong} flagged with a wrong final label), ` +
        `recall ${percent(r.recall)} (of ${r.wrong} wrong final labels)`,
    );
    for (const [reason, counts] of Object.entries(r.byReason)) {
      lines.push(`    ${reason}: ${counts.flagged} flagged, ${counts.flaggedWrong} wrong (precision ${percent(counts.flagged === 0 ? Number.NaN : counts.flaggedWrong / counts.flagged)})`);
    }
  }
  return lines;
}

function cell(interval: Interval | undefined, digits = 3): string {
  if (interval === undefined) return '—';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : '?');
  return `${f(interval.estimate)} [${f(interval.low)}, ${f(interval.high)}]`;
}

/**
 * The readable printout: one line per method with the overall figures, then per-label F1 of every
 * method, then the confusion matrices of the models as the services answer (with the rules).
 */
export function formatEvaluation(report: EvaluationReport): string {
  const methods = EVALUATED_METHODS.filter((m) => report.methods[m] !== undefined);
  const nameWidth = Math.max(...methods.map((m) => m.length), 'method'.length);
  const cellWidth = 22;
  const row = (first: string, cells: readonly string[]) => [first.padEnd(nameWidth), ...cells.map((c) => c.padStart(cellWidth))].join(' ');
  const level = Math.round(report.bootstrap.level * 100);
  const lines = [
    `leave-participants-out evaluation: ${report.participants} participants in ${report.folds} folds, ${report.segments} segments scored on the truth`,
    `trained on declarations: ${report.declaredSegments} declared segments, ${report.wrongDeclarations} of them declared otherwise than the truth; training seed ${report.trainingSeed}`,
    `figures: estimate on all participants [${level} % interval, ${report.bootstrap.resamples} participant resamples, seed ${report.bootstrap.seed}]`,
    '',
    row('method', [...OVERALL_FIGURES, `${report.exposure.pollutant} misattributed`]),
    ...methods.map((m) => row(m, [...OVERALL_FIGURES.map((f) => cell(report.methods[m]!.figures[f])), cell(report.exposure.methods[m]?.['misattributed'])])),
    '',
    ...methods.map((m) => `  ${m.padEnd(nameWidth)}  ${METHOD_DESCRIPTIONS[m]}`),
    `  ${report.exposure.pollutant} misattributed: share of a participant-day's time-integrated ${report.exposure.pollutant} put in a wrong micro-environment, mean over days`,
    '',
    'F1 per label (label: true segments)',
  ];
  const support = report.methods[methods[0]!]!.confusion;
  const labelWidth = Math.max(...report.labels.map((l) => l.length)) + 8;
  const labelRow = (first: string, cells: readonly string[]) => [first.padEnd(labelWidth), ...cells.map((c) => c.padStart(cellWidth))].join(' ');
  lines.push(labelRow('label', methods));
  report.labels.forEach((label, i) => {
    const n = support[i]!.reduce((a, b) => a + b, 0);
    if (n > 0) lines.push(labelRow(`${label}: ${n}`, methods.map((m) => cell(report.methods[m]!.figures[`f1 ${label}`]))));
  });
  lines.push('', `error of each micro-environment's share of a participant-day's ${report.exposure.pollutant} exposure (${report.exposure.participantDays} participant-days; mean absolute error over the days it has a true or predicted share)`);
  lines.push(labelRow('label', methods));
  for (const label of [...report.labels, 'none']) {
    const cells = methods.map((m) => cell(report.exposure.methods[m]?.[`share error ${label}`]));
    if (cells.some((c) => c !== '—')) lines.push(labelRow(label, cells));
  }
  // The matrices of the labels the services answer (after the rules), else of the first method.
  const answered = (['model-rules', 'pretrained-rules'] as const).filter((m) => report.methods[m] !== undefined);
  const width = Math.max(8, ...report.labels.map((l) => l.length));
  for (const shown of answered.length > 0 ? answered : [methods[0]!]) {
    const matrix = report.methods[shown]!.confusion;
    lines.push('', `confusion matrix of ${shown} (rows: true, columns: predicted)`);
    lines.push(['', ...report.labels, 'none'].map((l) => l.padStart(width)).join(' '));
    report.labels.forEach((label, i) => lines.push([label, ...matrix[i]!.map(String)].map((c) => c.padStart(width)).join(' ')));
  }
  lines.push(...formatReview(report.review));
  lines.push('', `${report.seconds.toFixed(0)} s`);
  return lines.join('\n');
}

interface EvaluateOptions extends ReviewOptions {
  sensors?: string;
  truth?: string;
  unseen?: boolean;
  scenarios: string;
  participants: string;
  days: string;
  simulationSeed: string;
  gpsRateHz: string;
  transportModel: string;
  truthColumn: string;
  folds: string;
  seed: string;
  resamples: string;
  bootstrapSeed: string;
  model: string;
  timeZone: string;
  rulesBelowConfidence: string;
  json?: string;
  methods: string;
  exposurePollutant: string;
}

function methodsOption(text: string): EvaluatedMethod[] {
  const names = text.split(',').map((m) => m.trim());
  const unknown = names.filter((m) => !(EVALUATED_METHODS as readonly string[]).includes(m));
  if (unknown.length > 0 || names.length === 0) throw new InputError('--methods', null, null, `unknown method(s) ${unknown.join(', ')}; known: ${EVALUATED_METHODS.join(', ')}`);
  return names as EvaluatedMethod[];
}

function integerOption(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || Math.abs(value) > 2 ** 31 - 1) throw new InputError(`--${name}`, null, null, `must be an integer ≥ ${min}, got "${text}"`);
  return value;
}

async function readTruth(file: string, column: string): Promise<Map<string, { timeMs: number; label: string | null }[]>> {
  const table = await readCsv(file);
  requireColumns(table, [PARTICIPANT, 'time', column]);
  const truth = new Map<string, { timeMs: number; label: string | null }[]>();
  for (const row of table.rows) {
    const id = (row.values[PARTICIPANT] ?? '').trim();
    const list = truth.get(id) ?? [];
    list.push({ timeMs: timeAt(table, row, 'time'), label: row.values[column] || null });
    truth.set(id, list);
  }
  return truth;
}

/** Each method's exposure-share errors with intervals; a segment's concentration is its view's mean, days are local. */
function exposureIntervals(
  segments: readonly EvaluationSegment[],
  predicted: Partial<Record<EvaluatedMethod, readonly (CanonicalLabel | null)[]>>,
  pollutant: View,
  timeZone: string,
  bootstrap: { resamples: number; seed: number; level: number },
): EvaluationReport['exposure'] {
  const view = VIEWS.indexOf(pollutant);
  const mean = VIEW_FEATURES.indexOf('mean');
  const localDay = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const exposureSegments = segments.map((s) => ({ day: `${s.participantId} ${localDay.format(s.segmentStartMs)}`, label: s.label, concentration: s.features[view]?.[mean] ?? null }));
  const byParticipant = new Map<string, number[]>();
  segments.forEach((s, i) => {
    const indices = byParticipant.get(s.participantId) ?? [];
    indices.push(i);
    byParticipant.set(s.participantId, indices);
  });
  const participants = [...byParticipant.keys()].sort().map((id) => byParticipant.get(id)!);
  const methods: Partial<Record<EvaluatedMethod, Record<string, Interval>>> = {};
  let participantDays = 0;
  for (const method of EVALUATED_METHODS) {
    const p = predicted[method];
    if (!p) continue;
    const perParticipant = participants.map((indices) => exposureShareErrors(indices.map((i) => exposureSegments[i]!), indices.map((i) => p[i]!)));
    participantDays = perParticipant.reduce((a, days) => a + days.length, 0);
    methods[method] = participantBootstrap<readonly DayShareErrors[]>(perParticipant, (parts) => parts.flat(), meanShareErrors, bootstrap);
  }
  return { pollutant, participantDays, methods };
}

async function unseenCommand(options: EvaluateOptions): Promise<void> {
  const names = options.scenarios.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const scenarios = names.includes('all-scenarios') ? UNSEEN_SCENARIOS : names.map((n) => UNSEEN_SCENARIOS.find((s) => s.name === n) ?? null);
  const unknown = names.filter((_, i) => scenarios[i] === null);
  if (unknown.length > 0 || scenarios.length === 0) throw new InputError('--scenarios', null, null, `unknown scenario(s) ${unknown.join(', ')}; known: ${UNSEEN_SCENARIOS.map((s) => s.name).join(', ')}, all-scenarios`);
  checkTimeZone(options.timeZone);
  const gpsRateHz = Number(options.gpsRateHz);
  if (!(gpsRateHz > 0 && gpsRateHz <= 10)) throw new InputError('--gps-rate-hz', null, null, `must be in (0, 10], got "${options.gpsRateHz}"`);
  const { candidate, budget } = reviewParams(options);
  const params: UnseenParams = {
    participants: integerOption('participants', options.participants, 2),
    days: integerOption('days', options.days, 1),
    seed: integerOption('simulation-seed', options.simulationSeed, 0),
    gpsRateHz,
    folds: integerOption('folds', options.folds, 2),
    trainingSeed: integerOption('seed', options.seed, 0),
    timeZone: options.timeZone,
    bootstrap: { resamples: integerOption('resamples', options.resamples, 1), seed: integerOption('bootstrap-seed', options.bootstrapSeed, 0), level: 0.95 },
    rules: { ...defaultTimeOfDayRulesParams, timeZone: options.timeZone, belowConfidence: rulesBelowConfidence(options.rulesBelowConfidence) },
    candidate,
    budget,
  };
  const activityModel = await readModel(options.model);
  const transportModel = options.transportModel === 'none' ? null : await readTransportModel(options.transportModel);
  const scores = [];
  for (const scenario of scenarios as UnseenScenario[]) {
    scores.push(scoreScenario(scenario, params, activityModel, transportModel));
    console.error(`${scenario.name}: ${scores[scores.length - 1]!.seconds.toFixed(0)} s`);
  }
  if (options.json !== undefined) await writeJsonAtomic(options.json, { params, models: { activity: options.model, transport: options.transportModel }, scenarios: scores });
  console.log(formatUnseen(scores, params, { activity: options.model, transport: transportModel === null ? null : options.transportModel }));
}

async function evaluateCommand(options: EvaluateOptions): Promise<void> {
  if (options.unseen === true) return unseenCommand(options);
  if (options.sensors === undefined || options.truth === undefined) throw new InputError('evaluate', null, null, '--sensors and --truth are required (or --unseen to score the shipped models on simulated unseen settings)');
  const started = Date.now();
  const folds = integerOption('folds', options.folds, 2);
  const trainingSeed = integerOption('seed', options.seed, 0);
  const bootstrap = { resamples: integerOption('resamples', options.resamples, 1), seed: integerOption('bootstrap-seed', options.bootstrapSeed, 0), level: 0.95 };
  checkTimeZone(options.timeZone);
  const rules = { ...defaultTimeOfDayRulesParams, timeZone: options.timeZone, belowConfidence: rulesBelowConfidence(options.rulesBelowConfidence) };
  const methods = methodsOption(options.methods);
  const { candidate: candidateParams, budget } = reviewParams(options);
  const pollutant = VIEWS.find((v) => v === options.exposurePollutant);
  if (pollutant === undefined) throw new InputError('--exposure-pollutant', null, null, `one of ${VIEWS.join(', ')}, got "${options.exposurePollutant}"`);
  const pretrained: ActivityModel | null = options.model === 'none' ? null : await readModel(options.model);
  const truth = await readTruth(options.truth, options.truthColumn);
  const sensorsFile = options.sensors;
  const truthFile = options.truth;
  const sampleParams = { ...defaultClassifySegmentParams, context: { timeZone: options.timeZone } };
  const segments: EvaluationSegment[] = (await readCleanMinutes(sensorsFile)).flatMap(({ participantId, rows }) =>
    buildEvaluationSegments(participantId, rows, truth.get(participantId) ?? [], sampleParams),
  );
  if (segments.length === 0) throw new InputError(truthFile, null, options.truthColumn, 'no segment has both sensor values and a true label');

  const fold = participantFolds(segments, folds);
  if (fold.count < 2) throw new InputError(sensorsFile, null, PARTICIPANT, 'leave-participants-out needs at least two participants');
  const predicted: Partial<Record<EvaluatedMethod, (CanonicalLabel | null)[]>> = {};
  const confidences: Partial<Record<EvaluatedMethod, number[]>> = {};
  for (let f = 0; f < fold.count; f++) {
    const test = segments.map((_, i) => i).filter((i) => fold.of[i] === f);
    const train = segments.filter((_, i) => fold.of[i] !== f);
    const out = predictHeldOutWithConfidence(train, test.map((i) => segments[i]!), { training: { seed: trainingSeed }, rules, pretrained, methods });
    for (const method of EVALUATED_METHODS) {
      const labels = out.labels[method];
      if (labels) {
        const all = (predicted[method] ??= new Array<CanonicalLabel | null>(segments.length).fill(null));
        test.forEach((i, k) => (all[i] = labels[k]!));
      }
      const confidence = out.confidences[method];
      if (confidence) {
        const all = (confidences[method] ??= new Array<number>(segments.length).fill(0));
        test.forEach((i, k) => (all[i] = confidence[k]!));
      }
    }
    console.error(`fold ${f + 1} of ${fold.count}: ${test.length} held-out segments, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }

  const seen = new Set<string>([...segments.map((s) => s.label), ...Object.values(predicted).flatMap((p) => p.filter((l): l is CanonicalLabel => l !== null))]);
  const labels = CANONICAL_LABELS.filter((l) => seen.has(l));
  const groupOf = (label: string) => labelGroup(label as CanonicalLabel);
  const scored: Partial<Record<EvaluatedMethod, ScoredPredictions>> = {};
  for (const method of EVALUATED_METHODS) {
    const p = predicted[method];
    if (p) scored[method] = scoreWithIntervals(segments, p, labels, groupOf, bootstrap);
  }
  const exposure = exposureIntervals(segments, predicted, pollutant, options.timeZone, bootstrap);
  const review: EvaluationReport['review'] = { candidate: candidateParams, budget, methods: {} };
  for (const method of REVIEWED_METHODS) {
    const labels = predicted[method];
    const confidence = confidences[method];
    if (labels && confidence) review.methods[method] = scoreSensorReview(segments, labels, confidence, candidateParams, budget, options.timeZone);
  }
  const report: EvaluationReport = {
    sensors: sensorsFile,
    truth: truthFile,
    participants: new Set(segments.map((s) => s.participantId)).size,
    segments: segments.length,
    declaredSegments: segments.filter((s) => s.declaredLabel !== null).length,
    wrongDeclarations: segments.filter((s) => s.declaredLabel !== null && s.declaredLabel !== s.label).length,
    folds: fold.count,
    trainingSeed,
    bootstrap,
    pretrainedModel: pretrained === null ? null : options.model,
    labels,
    methods: scored,
    exposure,
    review,
    seconds: (Date.now() - started) / 1000,
  };
  if (options.json !== undefined) await writeJsonAtomic(options.json, report);
  console.log(formatEvaluation(report));
}

/** Registers `evaluate`. */
export function registerEvaluateCommand(program: Command): void {
  const evaluate = program
    .command('evaluate')
    .description('leave-participants-out evaluation of the activity model against baselines, trained on declarations, scored on the truth, with participant-bootstrap intervals')
    .option('--sensors <file>', 'raw or cleaned sensor CSV; its activity column is what the volunteers declared (required unless --unseen)')
    .option('--truth <file>', 'participant_virtual_id, time, true label column, one row per minute (the simulator\u2019s truth_minutes.csv; required unless --unseen)')
    .option('--unseen', 'instead: score the shipped activity and transport models on simulated volunteers of unseen settings (docs/simulator.md, "Settings"), each alone and all together')
    .option('--scenarios <list>', `with --unseen: comma-separated scenarios (${UNSEEN_SCENARIOS.map((s) => s.name).join(', ')}) or all-scenarios`, 'all-scenarios')
    .option('--participants <n>', 'with --unseen: simulated participants per scenario', '12')
    .option('--days <d>', 'with --unseen: days per scenario (the weekend scenario always has 2)', '3')
    .option('--simulation-seed <n>', 'with --unseen: simulator seed (the shipped models were trained on seed 42)', '7')
    .option('--gps-rate-hz <hz>', 'with --unseen: GPS fixes per second (the transport model was trained at 1 Hz)', '1')
    .option('--transport-model <file>', 'with --unseen: transport model scored as is; "none" to leave the GPS out', DEFAULT_TRANSPORT_MODEL_PATH)
    .option('--truth-column <name>', 'true label column of the truth file', 'micro_environment')
    .option('--folds <n>', 'participant groups; each is held out once', '3')
    .option('--seed <n>', 'training seed of the models of every fold', '42')
    .option('--resamples <n>', 'participant resamples of the bootstrap', '1000')
    .option('--bootstrap-seed <n>', 'seed of the participant resampling', '1')
    .option('--model <file>', 'a trained model scored as is on every participant (default: the shipped one); "none" to leave it out', DEFAULT_MODEL_PATH)
    .option('--time-zone <zone>', 'participants\u2019 IANA time zone for the context features and the time-of-day rules', 'Europe/Paris')
    .option('--rules-below-confidence <p>', 'the time-of-day rules change only labels with a lower confidence; "always" for every label', String(defaultTimeOfDayRulesParams.belowConfidence))
    .option('--methods <list>', `comma-separated methods to run (${EVALUATED_METHODS.join(', ')})`, EVALUATED_METHODS.join(','))
    .option('--exposure-pollutant <view>', `pollutant whose exposure shares are scored (${VIEWS.join(', ')})`, 'pm25')
    .option('--json <file>', 'also write the report (every figure, interval and confusion matrix) as JSON');
  addReviewOptions(evaluate).action(evaluateCommand);
}
