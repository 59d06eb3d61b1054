import { CANONICAL_LABELS, type CanonicalLabel } from '@polluscope/common/domain';
import { applyTimeOfDayRules, type TimeOfDayRulesParams } from '../rules/time-of-day-rules.js';
import { predictActivity } from './activity-model.js';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics.js';
import { participantFolds, trainActivityModel, type ActivitySample, type TrainActivityModelParams } from './train-activity-model.js';

export interface CrossValidationParams {
  /** Participant groups; each is held out once (leave-participants-out). */
  readonly folds: number;
  readonly training: Partial<TrainActivityModelParams>;
  /** Time-of-day rules applied to each prediction, or `null` to score the forests alone. */
  readonly rules: TimeOfDayRulesParams | null;
}

export const defaultCrossValidationParams: CrossValidationParams = Object.freeze({ folds: 4, training: {}, rules: null });

/** Metrics of the same held-out predictions, from the forests alone and after the time-of-day rules. */
export interface CrossValidationReport {
  readonly folds: number;
  readonly forests: ClassificationMetrics;
  /** `null` when no rules were given. */
  readonly withRules: ClassificationMetrics | null;
}

/**
 * Leave-participants-out cross-validation: participants are split into `folds` groups; each group
 * is classified by a model trained on the others. Labels in the matrix are the samples' labels
 * in canonical order.
 *
 * @example crossValidateActivityModel(samples, { folds: 4, training: { seed: 42 } }) // { accuracy, macroF1, confusion, ... }
 */
export function crossValidateActivityModel(
  samples: readonly ActivitySample[],
  params: Partial<CrossValidationParams> = {},
): ClassificationMetrics & { readonly folds: number } {
  const report = crossValidationReport(samples, params);
  return { ...(report.withRules ?? report.forests), folds: report.folds };
}

/**
 * One leave-participants-out cross-validation scored twice: the forests' labels, and the same
 * labels after the time-of-day rules (each at its segment start) when `rules` is given.
 *
 * @example crossValidationReport(samples, { folds: 3, training: { seed: 42 }, rules: defaultTimeOfDayRulesParams }) // { folds: 3, forests: {...}, withRules: {...} }
 */
export function crossValidationReport(samples: readonly ActivitySample[], params: Partial<CrossValidationParams> = {}): CrossValidationReport {
  const p = { ...defaultCrossValidationParams, ...params };
  const folds = participantFolds(samples, p.folds);
  const predicted = new Array<CanonicalLabel | null>(samples.length).fill(null);
  const confidence = new Array<number>(samples.length).fill(0);
  for (let f = 0; f < folds.count; f++) {
    const train = samples.filter((_, i) => folds.of[i] !== f);
    const test = samples.map((_, i) => i).filter((i) => folds.of[i] === f);
    if (train.length === 0 || test.length === 0) continue;
    const model = trainActivityModel(train, p.training);
    for (const i of test) {
      const prediction = predictActivity(model, samples[i]!.features, samples[i]!.context);
      predicted[i] = prediction.label;
      confidence[i] = prediction.confidence;
    }
  }
  const labels = CANONICAL_LABELS.filter((l) => samples.some((s) => s.label === l));
  const truth = samples.map((s) => s.label);
  const rules = p.rules;
  const withRules =
    rules === null
      ? null
      : classificationMetrics(
          truth,
          predicted.map((label, i) => (label === null ? null : applyTimeOfDayRules(label, samples[i]!.segmentStartMs, rules, confidence[i]!).label)),
          labels,
        );
  return { folds: folds.count, forests: classificationMetrics(truth, predicted, labels), withRules };
}
