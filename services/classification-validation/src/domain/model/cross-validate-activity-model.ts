import { CANONICAL_LABELS } from '@polluscope/common/domain';
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
  const p = { ...defaultCrossValidationParams, ...params };
  const folds = participantFolds(samples, p.folds);
  const predicted = new Array<string | null>(samples.length).fill(null);
  for (let f = 0; f < folds.count; f++) {
    const train = samples.filter((_, i) => folds.of[i] !== f);
    const test = samples.map((_, i) => i).filter((i) => folds.of[i] === f);
    if (train.length === 0 || test.length === 0) continue;
    const model = trainActivityModel(train, p.training);
    for (const i of test) {
      const label = predictActivity(model, samples[i]!.features).label;
      predicted[i] = label !== null && p.rules ? applyTimeOfDayRules(label, samples[i]!.segmentStartMs, p.rules).label : label;
    }
  }
  const labels = CANONICAL_LABELS.filter((l) => samples.some((s) => s.label === l));
  return { ...classificationMetrics(samples.map((s) => s.label), predicted, labels), folds: folds.count };
}
