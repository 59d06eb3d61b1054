import { CANONICAL_LABELS, type CanonicalLabel } from '@polluscope/common/domain';
import { CONTEXT_FEATURES } from '../features/context-features.js';
import { ignoredFeatureIndices, ignoreFeatures } from '../features/ignore-features.js';
import type { SegmentFeatures } from '../features/view-features.js';
import type { CompactForest } from '../forest/compact-forest.js';
import { defaultForestParams, trainForest, type ForestParams } from '../forest/train-forest.js';
import { VIEWS, type View } from '../segments/segment-rows.js';
import {
  ACTIVITY_MODEL_FORMAT,
  ACTIVITY_MODEL_VERSION,
  activityFeatureNames,
  metaFeatures,
  MISSING_VIEW_FILL,
  type ActivityModel,
} from './activity-model.js';

/** A labelled segment: whose, when, its true label, its view features and context features. */
export interface ActivitySample {
  readonly participantId: string;
  readonly segmentStartMs: number;
  readonly label: CanonicalLabel;
  readonly features: SegmentFeatures;
  /** {@link CONTEXT_FEATURES} of the segment (`contextFeatures`). */
  readonly context: readonly number[];
}

export interface TrainActivityModelParams {
  /** 32-bit integer seed: the same samples and seed give the same model. */
  readonly seed: number;
  readonly forest: ForestParams;
  readonly metaForest: ForestParams;
  /**
   * Folds (grouped by participant) giving the out-of-fold view probabilities the meta forest
   * learns from, so it does not learn from the view forests' own training fit.
   */
  readonly stackingFolds: number;
  /**
   * Features held constant while training (`ignoreFeatures`), so the model never reads them:
   * `view_feature` names (`temperature_mean`) and context names. Recorded in the model.
   */
  readonly ignoredFeatures: readonly string[];
}

export const defaultTrainActivityModelParams: TrainActivityModelParams = Object.freeze({
  seed: 42,
  // View forests: square-root class weights, so the rarer environments reach the trees; the meta
  // forest, trained on the class prior, turns their vote shares into calibrated decisions.
  forest: Object.freeze({ ...defaultForestParams, samples: 24, sampleSize: 1000, classWeightExponent: 0.5 }),
  // The library draws features per tree, not per node: a large share keeps the context features
  // (local hour) in most meta trees.
  metaForest: Object.freeze({ ...defaultForestParams, samples: 20, sampleSize: 2000, maxFeatureShare: 0.6, maxDepth: 12 }),
  stackingFolds: 2,
  ignoredFeatures: Object.freeze([]),
});

/**
 * Trains the stacked activity model: a forest per view on the samples where the view is
 * present, then a meta forest on out-of-fold view probabilities (participant-grouped folds) and
 * the context features. Forests grow on class-weighted bootstraps (`ForestParams`): square-root
 * weights for the view forests, the class prior for the meta forest.
 *
 * @example trainActivityModel(samples, { seed: 42 }) // ActivityModel, JSON-serialisable
 */
export function trainActivityModel(given: readonly ActivitySample[], params: Partial<TrainActivityModelParams> = {}): ActivityModel {
  const p = { ...defaultTrainActivityModelParams, ...params };
  if (given.length === 0) throw new RangeError('trainActivityModel needs at least one sample');
  const ignored = ignoredFeatureIndices(p.ignoredFeatures);
  const samples = p.ignoredFeatures.length === 0 ? given : given.map((s) => ({ ...s, ...ignoreFeatures(s.features, s.context, ignored) }));
  const labels = CANONICAL_LABELS.filter((l) => samples.some((s) => s.label === l));
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const y = samples.map((s) => classOf.get(s.label)!);
  const k = labels.length;

  // Out-of-fold view probabilities for the meta forest.
  const folds = participantFolds(samples, p.stackingFolds);
  const metaRows = new Array<Float64Array>(samples.length);
  for (let f = 0; f < folds.count; f++) {
    const train = samples.map((_, i) => i).filter((i) => folds.of[i] !== f);
    const test = samples.map((_, i) => i).filter((i) => folds.of[i] === f);
    if (test.length === 0) continue;
    const forests = trainViewForests(samples, y, k, train.length > 0 ? train : test, p, 1000 * (f + 1));
    for (const i of test) metaRows[i] = metaFeatures(forests, samples[i]!.features, samples[i]!.context, k);
  }
  const meta = metaRows.map((row) => Array.from(row));

  const viewForests = trainViewForests(samples, y, k, samples.map((_, i) => i), p, 0);
  const metaForest = trainForest(meta, y, k, p.metaForest, p.seed + 7919);
  const trainedOn: Record<string, number> = {};
  for (const l of labels) trainedOn[l] = samples.filter((s) => s.label === l).length;
  return {
    format: ACTIVITY_MODEL_FORMAT,
    version: ACTIVITY_MODEL_VERSION,
    seed: p.seed,
    labels,
    views: VIEWS,
    features: activityFeatureNames(),
    contextFeatures: CONTEXT_FEATURES,
    missingViewFill: MISSING_VIEW_FILL,
    forestParams: p.forest,
    metaForestParams: p.metaForest,
    viewForests,
    metaForest,
    trainedOn,
    ...(p.ignoredFeatures.length === 0 ? {} : { ignoredFeatures: [...p.ignoredFeatures] }),
  };
}

function trainViewForests(
  samples: readonly ActivitySample[],
  y: readonly number[],
  k: number,
  indices: readonly number[],
  p: TrainActivityModelParams,
  seedOffset: number,
): Record<View, CompactForest | null> {
  const forests = {} as Record<View, CompactForest | null>;
  VIEWS.forEach((view, v) => {
    const rows = indices.filter((i) => samples[i]!.features[v]);
    forests[view] = rows.length === 0
      ? null
      : trainForest(rows.map((i) => samples[i]!.features[v]!), rows.map((i) => y[i]!), k, p.forest, p.seed + seedOffset + 31 * (v + 1));
  });
  return forests;
}

/**
 * Assigns participants to `folds` groups round-robin in sorted id order (one participant: folds
 * by sample index instead). Also used by cross-validation.
 *
 * @example participantFolds(samples, 3) // { count: 3, of: [0, 0, 1, 2, ...] }
 */
export function participantFolds(samples: readonly { participantId: string }[], folds: number): { count: number; of: number[] } {
  const participants = [...new Set(samples.map((s) => s.participantId))].sort();
  if (participants.length >= 2) {
    const count = Math.min(folds, participants.length);
    const group = new Map(participants.map((id, i) => [id, i % count]));
    return { count, of: samples.map((s) => group.get(s.participantId)!) };
  }
  const count = Math.max(1, Math.min(folds, samples.length));
  return { count, of: samples.map((_, i) => i % count) };
}
