import type { CanonicalLabel } from '@polluscope/common/domain';
import { forestVotes, type TransportModel } from './transport-model.js';

export interface TransportPrediction {
  readonly mode: CanonicalLabel;
  /** Share of the trees voting for `mode`, 0…1. */
  readonly probability: number;
  /** Share of the trees voting for each label of the model. */
  readonly probabilities: Readonly<Partial<Record<CanonicalLabel, number>>>;
}

/**
 * Transport mode of a move from its features (TRANSPORT_FEATURE_NAMES order): the majority vote
 * of the forest, with the same tie rule as ml-random-forest.
 *
 * @example predictTransportMode(model, transportFeatures(movePoints)).mode // 'Walk'
 */
export function predictTransportMode(model: TransportModel, features: ArrayLike<number>): TransportPrediction {
  const { votes, best } = forestVotes(model.trees, features, model.labels.length);
  const probabilities: Partial<Record<CanonicalLabel, number>> = {};
  model.labels.forEach((label, c) => {
    probabilities[label] = votes[c]! / model.trees.length;
  });
  return { mode: model.labels[best]!, probability: votes[best]! / model.trees.length, probabilities };
}
