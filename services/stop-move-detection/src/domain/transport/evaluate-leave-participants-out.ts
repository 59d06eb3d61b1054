import { MOVE_MODES } from '@polluscope/common/domain';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics.js';
import { predictTransportMode } from './predict-transport-mode.js';
import { trainTransportModel, type TransportSample } from './train-transport-model.js';
import { defaultTransportForestParams, type TransportForestParams } from './transport-model.js';

export interface LeaveParticipantsOutResult extends ClassificationMetrics {
  /** Participants held out together in each fold. */
  readonly folds: string[][];
}

/**
 * Leave-participants-out cross-validation: participants (sorted by id) are dealt round-robin into
 * `folds` groups (default: one per participant); each group is predicted by a model trained on
 * the others. Metrics pool the predictions of every fold.
 *
 * @example evaluateLeaveParticipantsOut(samples).macroF1
 */
export function evaluateLeaveParticipantsOut(
  samples: readonly TransportSample[],
  params: TransportForestParams = defaultTransportForestParams,
  folds?: number,
): LeaveParticipantsOutResult {
  const participants = [...new Set(samples.map((s) => s.participantId))].sort();
  if (participants.length < 2) throw new RangeError('leave-participants-out needs at least 2 participants');
  const k = Math.min(folds ?? participants.length, participants.length);
  const groups: string[][] = Array.from({ length: k }, () => []);
  participants.forEach((p, i) => groups[i % k]!.push(p));
  const truth: string[] = [];
  const predicted: string[] = [];
  for (const group of groups) {
    const held = new Set(group);
    const train = samples.filter((s) => !held.has(s.participantId));
    const model = trainTransportModel(train, params);
    for (const s of samples) {
      if (!held.has(s.participantId)) continue;
      truth.push(s.label);
      predicted.push(predictTransportMode(model, s.features).mode);
    }
  }
  const labels = MOVE_MODES.filter((m) => truth.includes(m) || predicted.includes(m));
  return { ...classificationMetrics(truth, predicted, labels), folds: groups };
}
