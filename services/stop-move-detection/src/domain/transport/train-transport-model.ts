import { RandomForestClassifier } from 'ml-random-forest';
import { MOVE_MODES, type CanonicalLabel } from '@polluscope/common/domain';
import { TRANSPORT_FEATURE_NAMES } from './transport-features.js';
import {
  compactRandomForest,
  defaultTransportForestParams,
  TRANSPORT_MODEL_FORMAT,
  TRANSPORT_MODEL_VERSION,
  type LibForestJson,
  type TransportForestParams,
  type TransportModel,
} from './transport-model.js';

/** One labelled move: whose it is (for leave-participants-out), its mode and its features. */
export interface TransportSample {
  readonly participantId: string;
  readonly label: CanonicalLabel;
  readonly features: readonly number[];
}

/** The ml-random-forest classifier, configured from our parameters (training stays in the library). */
export function transportForest(params: TransportForestParams): RandomForestClassifier {
  return new RandomForestClassifier({
    nEstimators: params.nEstimators,
    maxFeatures: params.maxFeatures,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: params.seed,
    treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
  });
}

/**
 * Trains the transport-mode random forest with ml-random-forest (fixed seed) and returns it as a
 * JSON-ready model. Labels must be move modes (MOVE_MODES); class indices follow MOVE_MODES order.
 *
 * @example trainTransportModel(samples, { ...defaultTransportForestParams, seed: 7 })
 */
export function trainTransportModel(samples: readonly TransportSample[], params: TransportForestParams = defaultTransportForestParams): TransportModel {
  if (samples.length === 0) throw new RangeError('no training samples');
  const present = new Set(samples.map((s) => s.label));
  for (const label of present) if (!MOVE_MODES.includes(label)) throw new RangeError(`${label} is not a move mode`);
  const labels = MOVE_MODES.filter((m) => present.has(m));
  const forest = transportForest(params);
  forest.train(
    samples.map((s) => [...s.features]),
    samples.map((s) => labels.indexOf(s.label)),
  );
  return {
    format: TRANSPORT_MODEL_FORMAT,
    version: TRANSPORT_MODEL_VERSION,
    featureNames: [...TRANSPORT_FEATURE_NAMES],
    labels,
    params,
    trainingSamples: samples.length,
    trees: compactRandomForest(forest.toJSON() as unknown as LibForestJson),
  };
}
