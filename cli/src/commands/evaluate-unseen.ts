/**
 * `polluscope evaluate --unseen` (issue 16): the shipped models scored on simulated volunteers of
 * settings they never saw (docs/simulator.md, "Settings"), each setting alone and all together,
 * beside baselines, with 95 % intervals from resampling participants. Nothing is trained here
 * but the baselines: the activity model and the transport model are scored as they are shipped.
 */
import { fileURLToPath } from 'node:url';
import { CANONICAL_LABELS, labelGroup, MOVE_MODES, type CanonicalLabel, type ReviewBudgetParams, type ReviewCandidateParams } from '@polluscope/common/domain';
import {
  buildEvaluationSegments,
  commonestLabel,
  defaultClassifySegmentParams,
  participantFolds,
  predictHeldOutWithConfidence,
  scoreWithIntervals,
  type ActivityModel,
  type BootstrapParams,
  type EvaluatedMethod,
  type EvaluationSegment,
  type ReviewFlagScores,
  type ScoredPredictions,
  type TimeOfDayRulesParams,
} from '@polluscope/classification-validation/domain';
import { rasterCell } from '@polluscope/gps-preprocessing/domain';
import { predictTransportMode, type TransportModel, type TransportSample } from '@polluscope/stop-move-detection/domain';
import { cleanSensorSeries, defaultCleaningParams } from '@polluscope/timeseries-preprocessing/domain';
import { defaultSimulationParams, settingsFromNames, simulate, SETTING_NAMES, type SettingName, type SimulationChunk } from '../simulator/index.js';
import { buildTransportSamples, type GpsRow } from './gps.js';
import { scoreSensorReview } from './review-flags.js';

/** The shipped transport model, relative to the repository root. */
export const DEFAULT_TRANSPORT_MODEL_PATH = fileURLToPath(new URL('../../../models/transport-model.json', import.meta.url));

/** One simulated setting the shipped models are scored on. */
export interface UnseenScenario {
  readonly name: string;
  readonly description: string;
  /** First local day; `days` null: the run's `--days`. */
  readonly startDate: string;
  readonly days: number | null;
  readonly settings: readonly SettingName[];
}

/**
 * The scenarios: January weekdays as in training (reference), then each setting alone, then all
 * together (summer Friday to Sunday, every setting on).
 */
export const UNSEEN_SCENARIOS: readonly UnseenScenario[] = Object.freeze([
  { name: 'reference', description: 'January weekdays, no setting (as in training)', startDate: '2026-01-05', days: null, settings: [] },
  { name: 'weekend', description: 'a January Saturday and Sunday (weekend routine)', startDate: '2026-01-10', days: 2, settings: [] },
  { name: 'summer', description: 'July weekdays, summer setting', startDate: '2026-07-06', days: null, settings: ['summer'] },
  { name: 'kit-bias', description: 'January weekdays, kit gain 0.7–1.3 per pollutant', startDate: '2026-01-05', days: null, settings: ['kit-bias'] },
  { name: 'sensor-lag', description: 'January weekdays, sensor lag τ 1–2 min', startDate: '2026-01-05', days: null, settings: ['sensor-lag'] },
  { name: 'daily-background', description: 'January weekdays, day-to-day outdoor background', startDate: '2026-01-05', days: null, settings: ['daily-background'] },
  { name: 'roads', description: 'January weekdays, ring road, motorways, buses in traffic', startDate: '2026-01-05', days: null, settings: ['roads'] },
  { name: 'rail', description: 'January weekdays, RER and Transilien', startDate: '2026-01-05', days: null, settings: ['rail'] },
  { name: 'all', description: 'July Friday–Sunday, every setting', startDate: '2026-07-03', days: null, settings: SETTING_NAMES },
]);

export const ACTIVITY_METHODS = ['majority', 'clock', 'pretrained', 'pretrained-rules'] as const satisfies readonly EvaluatedMethod[];
export const TRANSPORT_METHODS = ['majority', 'pretrained'] as const;

export interface UnseenParams {
  readonly participants: number;
  readonly days: number;
  readonly seed: number;
  readonly gpsRateHz: number;
  readonly folds: number;
  readonly trainingSeed: number;
  readonly timeZone: string;
  readonly bootstrap: BootstrapParams;
  readonly rules: TimeOfDayRulesParams;
  readonly candidate: ReviewCandidateParams;
  readonly budget: ReviewBudgetParams;
}

export interface ScenarioScores {
  readonly scenario: UnseenScenario;
  readonly participants: number;
  readonly segments: number;
  readonly labels: readonly string[];
  readonly activity: Partial<Record<(typeof ACTIVITY_METHODS)[number], ScoredPredictions>>;
  readonly review: ReviewFlagScores | null;
  readonly moves: number;
  readonly moveLabels: readonly string[];
  readonly transport: Partial<Record<(typeof TRANSPORT_METHODS)[number], ScoredPredictions>>;
  readonly seconds: number;
}

interface ScenarioData {
  readonly segments: EvaluationSegment[];
  readonly moves: TransportSample[];
}

/** Turns one participant's chunks into evaluation segments and labelled moves, then forgets the raw records. */
function participantData(chunks: readonly SimulationChunk[], timeZone: string, withGps: boolean): ScenarioData {
  const id = chunks[0]!.participant.id;
  const rows = chunks.flatMap((c) => c.sensor.map((r) => ({ timeMs: r.timeMs, pm1: r.pm1, pm25: r.pm25, pm10: r.pm10, no2: r.no2, bc: r.bc, temperature: r.temperature, humidity: r.humidity, activity: r.activity, event: r.event })));
  const truth = chunks.flatMap((c) => c.truthMinutes.map((m) => ({ timeMs: m.timeMs, label: m.microEnvironment as string | null })));
  const clean = cleanSensorSeries(rows, defaultCleaningParams);
  const segments = buildEvaluationSegments(id, clean, truth, { ...defaultClassifySegmentParams, context: { timeZone } });
  if (!withGps) return { segments, moves: [] };
  let row = 0;
  const gps: GpsRow[] = chunks.flatMap((c) => c.gps.map((f) => ({ participant: id, row: row++, timeMs: f.timeMs, lat: f.lat, lon: f.lon, hilbert: rasterCell(f.lat, f.lon)?.hilbert ?? null })));
  const minutes = new Map<number, CanonicalLabel | null>();
  for (const c of chunks) for (const m of c.truthMinutes) minutes.set(Math.floor(m.timeMs / 60_000), m.microEnvironment);
  return { segments, moves: buildTransportSamples(gps, new Map([[id, minutes]])) };
}

/** Simulates a scenario participant by participant and keeps only what is scored. */
export function scenarioData(scenario: UnseenScenario, params: Pick<UnseenParams, 'participants' | 'days' | 'seed' | 'gpsRateHz' | 'timeZone'>, withGps: boolean): ScenarioData {
  const simulation = {
    ...defaultSimulationParams,
    participants: params.participants,
    days: scenario.days ?? params.days,
    seed: params.seed,
    startDate: scenario.startDate,
    timeZone: params.timeZone,
    gpsRateHz: params.gpsRateHz,
    settings: settingsFromNames(scenario.settings),
  };
  const out: ScenarioData = { segments: [], moves: [] };
  let current: SimulationChunk[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const data = participantData(current, params.timeZone, withGps);
    out.segments.push(...data.segments);
    out.moves.push(...data.moves);
    current = [];
  };
  for (const chunk of simulate(simulation)) {
    if (current.length > 0 && current[0]!.participant.id !== chunk.participant.id) flush();
    current.push(chunk);
  }
  flush();
  return out;
}

const groupOf = (label: string) => labelGroup(label as CanonicalLabel);

/** Scores the shipped models on one scenario; `transportModel` null leaves the GPS out. */
export function scoreScenario(scenario: UnseenScenario, params: UnseenParams, activityModel: ActivityModel, transportModel: TransportModel | null): ScenarioScores {
  const started = Date.now();
  const { segments, moves } = scenarioData(scenario, params, transportModel !== null);
  const fold = participantFolds(segments, params.folds);
  const predicted: Partial<Record<EvaluatedMethod, (CanonicalLabel | null)[]>> = {};
  let confidence: number[] = new Array<number>(segments.length).fill(0);
  for (let f = 0; f < fold.count; f++) {
    const test = segments.map((_, i) => i).filter((i) => fold.of[i] === f);
    const train = segments.filter((_, i) => fold.of[i] !== f);
    const out = predictHeldOutWithConfidence(train, test.map((i) => segments[i]!), {
      training: { seed: params.trainingSeed },
      rules: params.rules,
      pretrained: activityModel,
      methods: ACTIVITY_METHODS,
    });
    for (const method of ACTIVITY_METHODS) {
      const all = (predicted[method] ??= new Array<CanonicalLabel | null>(segments.length).fill(null));
      test.forEach((i, k) => (all[i] = out.labels[method]![k]!));
    }
    test.forEach((i, k) => (confidence[i] = out.confidences['pretrained-rules']![k]!));
  }
  const seen = new Set<string>([...segments.map((s) => s.label), ...Object.values(predicted).flatMap((p) => p.filter((l): l is CanonicalLabel => l !== null))]);
  const labels = CANONICAL_LABELS.filter((l) => seen.has(l));
  const activity: ScenarioScores['activity'] = {};
  for (const method of ACTIVITY_METHODS) activity[method] = scoreWithIntervals(segments, predicted[method]!, labels, groupOf, params.bootstrap);
  const review = scoreSensorReview(segments, predicted['pretrained-rules']!, confidence, params.candidate, params.budget, params.timeZone);
  confidence = [];

  const transport: ScenarioScores['transport'] = {};
  const moveLabels = MOVE_MODES.filter((m) => moves.some((s) => s.label === m) || transportModel?.labels.includes(m));
  if (transportModel !== null && moves.length > 0) {
    const movesFold = participantFolds(moves, params.folds);
    const majority = moves.map((_, i) => commonestLabel(moves.filter((__, j) => movesFold.of[j] !== movesFold.of[i]).map((s) => s.label)));
    const pretrained = moves.map((s) => predictTransportMode(transportModel, s.features).mode);
    transport.majority = scoreWithIntervals(moves, majority, moveLabels, groupOf, params.bootstrap);
    transport.pretrained = scoreWithIntervals(moves, pretrained, moveLabels, groupOf, params.bootstrap);
  }
  return {
    scenario,
    participants: new Set(segments.map((s) => s.participantId)).size,
    segments: segments.length,
    labels,
    activity,
    review,
    moves: moves.length,
    moveLabels,
    transport,
    seconds: (Date.now() - started) / 1000,
  };
}

const cell = (x: { estimate: number; low: number; high: number } | undefined): string => {
  if (x === undefined) return '—';
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '?');
  return `${f(x.estimate)} [${f(x.low)}, ${f(x.high)}]`;
};
const percent = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '—');

/** The printout: an activity table and a transport table, one block of rows per scenario, then the recalls and the transport confusions. */
export function formatUnseen(scores: readonly ScenarioScores[], params: UnseenParams, modelPaths: { activity: string; transport: string | null }): string {
  const w = 22;
  const level = Math.round(params.bootstrap.level * 100);
  const lines = [
    `shipped models on simulated volunteers of unseen settings: ${params.participants} participants, seed ${params.seed}, ${params.days} days per scenario unless stated, GPS ${params.gpsRateHz} Hz`,
    `activity model ${modelPaths.activity}; transport model ${modelPaths.transport ?? 'none'}`,
    `figures: estimate on all participants [${level} % interval, ${params.bootstrap.resamples} participant resamples, seed ${params.bootstrap.seed}]; baselines trained in ${params.folds} leave-participants-out folds on the scenario's declarations (activity) or truth (transport)`,
    '',
    'scenarios:',
    ...scores.map((s) => `  ${s.scenario.name.padEnd(17)} ${s.scenario.description}; from ${s.scenario.startDate}, ${s.scenario.days ?? params.days} days; settings: ${s.scenario.settings.join(', ') || 'none'}`),
    '',
    'activity model (5-minute segments, scored on the truth)',
    ['scenario'.padEnd(17), 'segments'.padStart(8), 'method'.padEnd(16), ...['accuracy', 'balanced accuracy', 'group accuracy', 'macro-F1'].map((h) => h.padStart(w))].join(' '),
  ];
  for (const s of scores) {
    ACTIVITY_METHODS.forEach((m, k) => {
      const f = s.activity[m]?.figures;
      lines.push([(k === 0 ? s.scenario.name : '').padEnd(17), (k === 0 ? String(s.segments) : '').padStart(8), m.padEnd(16), ...[f?.['accuracy'], f?.['balanced accuracy'], f?.['group accuracy'], f?.['macro-F1']].map((x) => cell(x).padStart(w))].join(' '));
    });
  }
  lines.push('', `review flag of pretrained-rules on the sensor evidence alone (budget ${params.budget.maxShare} of each participant-day, wrong probability ≥ ${params.budget.minWrongProbability})`);
  lines.push(['scenario'.padEnd(17), 'flagged'.padStart(8), 'share'.padStart(8), 'precision'.padStart(10), 'recall'.padStart(8), 'wrong labels'.padStart(13)].join(' '));
  for (const s of scores) {
    const r = s.review;
    if (r !== null) lines.push([s.scenario.name.padEnd(17), String(r.flagged).padStart(8), percent(r.share).padStart(8), percent(r.precision).padStart(10), percent(r.recall).padStart(8), String(r.wrong).padStart(13)].join(' '));
  }
  lines.push('', 'pretrained-rules F1 per label (true segments)');
  for (const s of scores) {
    const f = s.activity['pretrained-rules'];
    if (f === undefined) continue;
    const parts = s.labels.flatMap((l, i) => {
      const n = f.confusion[i]!.reduce((a, b) => a + b, 0);
      return n === 0 ? [] : [`${l} ${(f.figures[`f1 ${l}`]?.estimate ?? 0).toFixed(2)} (${n})`];
    });
    lines.push(`  ${s.scenario.name.padEnd(17)} ${parts.join(', ')}`);
  }
  if (scores.some((s) => s.transport.pretrained !== undefined)) {
    lines.push('', 'transport model (stay-point moves of at least 10 fixes, labelled with their minutes\u2019 majority truth)');
    lines.push(['scenario'.padEnd(17), 'moves'.padStart(8), 'method'.padEnd(16), ...['accuracy', 'balanced accuracy', 'macro-F1'].map((h) => h.padStart(w))].join(' '));
    for (const s of scores) {
      TRANSPORT_METHODS.forEach((m, k) => {
        const f = s.transport[m]?.figures;
        lines.push([(k === 0 ? s.scenario.name : '').padEnd(17), (k === 0 ? String(s.moves) : '').padStart(8), m.padEnd(16), ...[f?.['accuracy'], f?.['balanced accuracy'], f?.['macro-F1']].map((x) => cell(x).padStart(w))].join(' '));
      });
    }
    lines.push('', 'transport model confusion per scenario (rows: true, columns: predicted; true modes present only)');
    for (const s of scores) {
      const c = s.transport.pretrained?.confusion;
      if (c === undefined) continue;
      const width = Math.max(8, ...s.moveLabels.map((l) => l.length));
      lines.push(`  ${s.scenario.name}`, ['', ...s.moveLabels].map((l) => l.padStart(width)).join(' '));
      s.moveLabels.forEach((label, i) => {
        if (c[i]!.reduce((a, b) => a + b, 0) > 0) lines.push([label, ...c[i]!.slice(0, s.moveLabels.length).map(String)].map((x) => x.padStart(width)).join(' '));
      });
    }
  }
  lines.push('', scores.map((s) => `${s.scenario.name} ${s.seconds.toFixed(0)} s`).join(', '));
  return lines.join('\n');
}
