/**
 * Ablation of the activity model's features (issue 16, item 3): which features carry its failure on
 * unseen settings. Trains one model per variant, each with some features held constant
 * (`ignoredFeatures`), on simulated volunteers, and scores it with the time-of-day rules on other
 * simulated volunteers of each unseen scenario (`polluscope evaluate --unseen`'s).
 *
 *   npx tsc -b && nice -n 19 npx tsx scripts/activity-ablation.ts [--train reference] [--train-seed 42] [--seed 7] [--variants all,...]
 *
 * Training uses the simulator's truth, like the shipped model; forests are half the shipped size
 * (view 12 × 1,000 segments, meta 10 × 2,000) to keep each variant to a minute or two of CPU
 * (`--size full` for the shipped size); `--recalls` prints each label's recall.
 */
import { parseArgs } from 'node:util';
import { labelGroup, type CanonicalLabel } from '@polluscope/common/domain';
import {
  applyTimeOfDayRules,
  confusionCounts,
  confusionScores,
  defaultTimeOfDayRulesParams,
  defaultTrainActivityModelParams,
  predictActivity,
  trainActivityModel,
  VIEW_FEATURES,
  VIEWS,
  type EvaluationSegment,
} from '@polluscope/classification-validation/domain';
import { scenarioData, type UnseenParams } from '../cli/src/commands/evaluate-unseen.js';
import { TRAINING_SCENARIOS } from '../cli/src/commands/train-simulated.js';

const LEVELS = ['mean', 'min', 'max', 'median'] as const;
const CHANGES = VIEW_FEATURES.filter((f) => !(LEVELS as readonly string[]).includes(f));
const levels = (views: readonly string[]) => views.flatMap((v) => LEVELS.map((f) => `${v}_${f}`));
const whole = (views: readonly string[]) => views.flatMap((v) => VIEW_FEATURES.map((f) => `${v}_${f}`));
const POLLUTANTS = VIEWS.filter((v) => v !== 'temperature' && v !== 'humidity');
const CLOCK = ['hour_sin', 'hour_cos', 'weekend'];

/** Variant name → features held constant. */
export const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  all: [],
  'no-temperature-humidity-levels': levels(['temperature', 'humidity']),
  'no-temperature-humidity': whole(['temperature', 'humidity']),
  'no-clock': CLOCK,
  'no-weekend-flag': ['weekend'],
  'no-pollutant-levels': levels(POLLUTANTS),
  'no-levels': levels(VIEWS),
  'no-temperature-humidity-levels-no-clock': [...levels(['temperature', 'humidity']), ...CLOCK],
};

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: 'reference' },
    'train-seed': { type: 'string', default: '42' },
    seed: { type: 'string', default: '7' },
    variants: { type: 'string', default: Object.keys(VARIANTS).join(',') },
    scenarios: { type: 'string', default: 'reference,weekend,summer,kit-bias,sensor-lag,all' },
    recalls: { type: 'boolean', default: false },
    'meta-class-weight-exponent': { type: 'string', default: '1' },
    'view-class-weight-exponent': { type: 'string', default: '0.5' },
    size: { type: 'string', default: 'half' },
  },
});

const base = (seed: number): UnseenParams => ({
  participants: 12,
  days: 3,
  seed,
  gpsRateHz: 0.01,
  folds: 3,
  trainingSeed: 42,
  timeZone: 'Europe/Paris',
  bootstrap: { resamples: 1, seed: 1, level: 0.95 },
  rules: defaultTimeOfDayRulesParams,
  candidate: { minConfidence: 0.6, declarationReliability: 0.9 },
  budget: { maxShare: 0.05, minWrongProbability: 0.5 },
});
const scenario = (name: string) => {
  const s = TRAINING_SCENARIOS.find((x) => x.name === name);
  if (s === undefined) throw new RangeError(`unknown scenario ${name}`);
  return s;
};

const trainSeed = Number(values['train-seed']);
const training: EvaluationSegment[] = values.train.split(',').flatMap((name) =>
  scenarioData(scenario(name), base(trainSeed), false).segments.map((s) => ({ ...s, participantId: `${name}-${s.participantId}` })),
);
const tests = values.scenarios.split(',').map((name) => ({ name, segments: scenarioData(scenario(name), base(Number(values.seed)), false).segments }));
console.log(`training: ${values.train}, seed ${trainSeed}, ${training.length} segments (truth labels); test seed ${values.seed}; view features: levels ${LEVELS.join(', ')}, changes ${CHANGES.join(', ')}`);
console.log(['variant'.padEnd(42), ...tests.map((t) => `${t.name} acc / bal / grp`.padStart(28))].join(' '));

const share = values.size === 'full' ? 1 : 0.5;
const d = defaultTrainActivityModelParams;
const small = {
  seed: 42,
  forest: { ...d.forest, samples: Math.round(d.forest.samples * share), classWeightExponent: Number(values['view-class-weight-exponent']) },
  metaForest: { ...d.metaForest, samples: Math.round(d.metaForest.samples * share), classWeightExponent: Number(values['meta-class-weight-exponent']) },
};
console.log(`forests: view ${small.forest.samples} × ${small.forest.sampleSize} (class weights ^${small.forest.classWeightExponent}), meta ${small.metaForest.samples} × ${small.metaForest.sampleSize} (^${small.metaForest.classWeightExponent})`);
for (const variant of values.variants.split(',')) {
  const ignored = VARIANTS[variant];
  if (ignored === undefined) throw new RangeError(`unknown variant ${variant}`);
  const started = Date.now();
  const model = trainActivityModel(training, { ...small, ignoredFeatures: ignored });
  const recalls: string[] = [];
  const cells = tests.map(({ name, segments }) => {
    const predicted = segments.map((s) => {
      const q = predictActivity(model, s.features, s.context);
      return q.label === null ? null : applyTimeOfDayRules(q.label, s.segmentStartMs, defaultTimeOfDayRulesParams, q.confidence).label;
    });
    const labels = [...new Set<string>([...segments.map((s) => s.label), ...predicted.filter((l): l is CanonicalLabel => l !== null)])];
    const scores = confusionScores(confusionCounts(segments.map((s) => s.label), predicted, labels), labels, (l) => labelGroup(l as CanonicalLabel));
    if (values.recalls) recalls.push(`  ${name} recall: ${labels.filter((l) => scores.support[l] !== undefined).map((l) => `${l} ${recallOf(segments, predicted, l).toFixed(2)}`).join(", ")}`);
    return `${scores.accuracy.toFixed(3)} / ${scores.balancedAccuracy.toFixed(3)} / ${scores.groupAccuracy.toFixed(3)}`;
  });
  console.log([variant.padEnd(42), ...cells.map((c) => c.padStart(28))].join(' '), ` ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const line of recalls) console.log(line);
}

function recallOf(segments: readonly EvaluationSegment[], predicted: readonly (string | null)[], label: string): number {
  const mine = segments.map((s, i) => (s.label === label ? predicted[i] === label : null)).filter((x) => x !== null);
  return mine.filter(Boolean).length / mine.length;
}
