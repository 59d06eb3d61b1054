/**
 * What each evaluated method predicts for held-out participants (docs/design.md §5.2, "An honest
 * evaluation"): the model and its baselines are trained on the same participants' declared
 * labels (noisy, as volunteers give them) and predict the held-out segments, which are then
 * scored on the simulator's truth.
 */
import { CANONICAL_LABELS, type CanonicalLabel } from '@polluscope/common/domain';
import { CONTEXT_FEATURES } from '../features/context-features.js';
import { forestVotes } from '../forest/compact-forest.js';
import { defaultForestParams, trainForest, type ForestParams } from '../forest/train-forest.js';
import { predictActivity, type ActivityModel } from '../model/activity-model.js';
import { trainActivityModel, type ActivitySample, type TrainActivityModelParams } from '../model/train-activity-model.js';
import { applyTimeOfDayRules, defaultTimeOfDayRulesParams, type TimeOfDayRulesParams } from '../rules/time-of-day-rules.js';

/** A segment to evaluate on: `label` is the truth, `declaredLabel` what the volunteer declared (null: nothing). */
export interface EvaluationSegment extends ActivitySample {
  readonly declaredLabel: CanonicalLabel | null;
}

/**
 * - `majority`: the commonest declared label of the training participants, always;
 * - `clock`: a forest on the local hour and weekend flag alone;
 * - `sensors-no-time`: the stacked model with the hour and weekend features held at 0;
 * - `model`: the stacked model as the services train it (forests alone);
 * - `model-rules`: the same labels after the time-of-day rules, as the services answer;
 * - `pretrained`, `pretrained-rules`: a model trained elsewhere (e.g. the shipped default), when given.
 */
export const EVALUATED_METHODS = ['majority', 'clock', 'sensors-no-time', 'model', 'model-rules', 'pretrained', 'pretrained-rules'] as const;
export type EvaluatedMethod = (typeof EVALUATED_METHODS)[number];

export interface PredictHeldOutParams {
  readonly training: Partial<TrainActivityModelParams>;
  readonly clockForest: ForestParams;
  readonly rules: TimeOfDayRulesParams;
  /** Scored as is on the held-out segments; `null` leaves out the `pretrained` methods. */
  readonly pretrained: ActivityModel | null;
  /** The methods to run (the stacked models take minutes to train on thousands of segments). */
  readonly methods: readonly EvaluatedMethod[];
}

export const defaultPredictHeldOutParams: PredictHeldOutParams = Object.freeze({
  training: {},
  clockForest: defaultForestParams,
  rules: defaultTimeOfDayRulesParams,
  pretrained: null,
  methods: EVALUATED_METHODS,
});

/** Context features that say when a segment is: a model without them sees the sensors only. */
export const TIME_CONTEXT_FEATURES = ['hour_sin', 'hour_cos', 'weekend'] as const;
const TIME_INDICES = TIME_CONTEXT_FEATURES.map((name) => CONTEXT_FEATURES.indexOf(name));

/** The context features with the time ones held at 0 (a constant a forest cannot split on). */
export function withoutTimeFeatures(context: readonly number[]): number[] {
  return context.map((value, i) => (TIME_INDICES.includes(i) ? 0 : value));
}

/** Each method's labels, and for the stacked models their confidence (meta-forest vote share of the model's label, as the services carry it). */
export interface HeldOutPredictions {
  readonly labels: Partial<Record<EvaluatedMethod, (CanonicalLabel | null)[]>>;
  readonly confidences: Partial<Record<EvaluatedMethod, number[]>>;
}

/** {@link predictHeldOut}'s labels only. */
export function predictHeldOut(
  train: readonly EvaluationSegment[],
  test: readonly EvaluationSegment[],
  params: Partial<PredictHeldOutParams> = {},
): Partial<Record<EvaluatedMethod, (CanonicalLabel | null)[]>> {
  return predictHeldOutWithConfidence(train, test, params).labels;
}

/**
 * Trains every method on `train` (segments with a declared label, labelled by it) and predicts
 * each `test` segment; a method is absent when it cannot run (no pretrained model).
 *
 * @example predictHeldOutWithConfidence(otherParticipants, heldOut, { training: { seed: 42 } }).labels // { majority: ['Domicile', ...], model: [...], ... }
 */
export function predictHeldOutWithConfidence(
  train: readonly EvaluationSegment[],
  test: readonly EvaluationSegment[],
  params: Partial<PredictHeldOutParams> = {},
): HeldOutPredictions {
  const p = { ...defaultPredictHeldOutParams, ...params };
  const declared: ActivitySample[] = train.flatMap((s) => (s.declaredLabel === null ? [] : [{ ...s, label: s.declaredLabel }]));
  if (declared.length === 0) throw new RangeError('predictHeldOut: no training segment has a declared label');
  const out: Partial<Record<EvaluatedMethod, (CanonicalLabel | null)[]>> = {};
  const confidences: Partial<Record<EvaluatedMethod, number[]>> = {};

  const wanted = (...methods: EvaluatedMethod[]) => methods.some((m) => p.methods.includes(m));

  if (wanted('majority')) {
    const majority = commonestLabel(declared.map((s) => s.label));
    out.majority = test.map(() => majority);
  }
  if (wanted('clock')) {
    const labels = CANONICAL_LABELS.filter((l) => declared.some((s) => s.label === l));
    const clockRow = (s: ActivitySample) => TIME_INDICES.map((i) => s.context[i]!);
    const clock = trainForest(declared.map(clockRow), declared.map((s) => labels.indexOf(s.label)), labels.length, p.clockForest, (p.training.seed ?? 42) + 17);
    const votes = new Float64Array(labels.length);
    out.clock = test.map((s) => labels[forestVotes(clock, clockRow(s), votes)] ?? null);
  }
  if (wanted('sensors-no-time')) {
    const blind = trainActivityModel(declared.map((s) => ({ ...s, context: withoutTimeFeatures(s.context) })), p.training);
    out['sensors-no-time'] = test.map((s) => predictActivity(blind, s.features, withoutTimeFeatures(s.context)).label);
  }
  const withRules = (model: ActivityModel) => {
    const predictions = test.map((s) => predictActivity(model, s.features, s.context));
    const rules = predictions.map((q, i) => (q.label === null ? null : applyTimeOfDayRules(q.label, test[i]!.segmentStartMs, p.rules, q.confidence).label));
    return [predictions.map((q) => q.label), rules, predictions.map((q) => q.confidence)] as const;
  };
  if (wanted('model', 'model-rules')) {
    let confidence: number[];
    [out.model, out['model-rules'], confidence] = withRules(trainActivityModel(declared, p.training));
    confidences.model = confidences['model-rules'] = confidence;
  }
  if (p.pretrained !== null && wanted('pretrained', 'pretrained-rules')) {
    let confidence: number[];
    [out.pretrained, out['pretrained-rules'], confidence] = withRules(p.pretrained);
    confidences.pretrained = confidences['pretrained-rules'] = confidence;
  }
  for (const method of EVALUATED_METHODS) {
    if (p.methods.includes(method)) continue;
    delete out[method];
    delete confidences[method];
  }
  return { labels: out, confidences };
}

/** The most frequent label; ties go to the first in canonical order. */
export function commonestLabel(labels: readonly CanonicalLabel[]): CanonicalLabel {
  const counts = new Map<CanonicalLabel, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best: CanonicalLabel | null = null;
  for (const l of CANONICAL_LABELS) if ((counts.get(l) ?? 0) > (best === null ? 0 : counts.get(best)!)) best = l;
  if (best === null) throw new RangeError('commonestLabel needs at least one label');
  return best;
}
