/**
 * The activity model (docs/design.md §5.2): one random forest per view and a meta random forest over
 * the present views' class probabilities and the segment's context features (local hour,
 * weekend, cross-view ratios: {@link CONTEXT_FEATURES}). A missing view (or a view without a
 * forest) enters the meta forest as {@link MISSING_VIEW_FILL} in each of its class slots, so one
 * meta forest serves every subset of views.
 */
import { isCanonicalLabel, type CanonicalLabel } from '@polluscope/common/domain';
import { CONTEXT_FEATURES } from '../features/context-features.js';
import { ignoredFeatureIndices } from '../features/ignore-features.js';
import { VIEW_FEATURES, type SegmentFeatures } from '../features/view-features.js';
import { forestVotes, type CompactForest } from '../forest/compact-forest.js';
import type { ForestParams } from '../forest/train-forest.js';
import { VIEWS, type View } from '../segments/segment-rows.js';

export const ACTIVITY_MODEL_FORMAT = 'polluscope-activity-model';
/**
 * 2: eight features per view, context features in the meta forest, forests trained by
 * `ml-random-forest` (`trainForest`) and stored compacted (raw-value thresholds, however trained).
 */
export const ACTIVITY_MODEL_VERSION = 2;
/** Meta-forest input for each class slot of a missing view (probabilities are ≥ 0). */
export const MISSING_VIEW_FILL = -1;

export interface ActivityModel {
  readonly format: typeof ACTIVITY_MODEL_FORMAT;
  readonly version: number;
  readonly seed: number;
  readonly labels: readonly CanonicalLabel[];
  readonly views: readonly View[];
  /** Feature names of each view, `view_feature`. */
  readonly features: readonly string[];
  /** Context feature names ({@link CONTEXT_FEATURES}), appended to the meta forest's input. */
  readonly contextFeatures: readonly string[];
  readonly missingViewFill: number;
  readonly forestParams: ForestParams;
  readonly metaForestParams: ForestParams;
  readonly viewForests: Readonly<Record<View, CompactForest | null>>;
  readonly metaForest: CompactForest;
  /** Features held constant in training, never read by the model (absent: none). */
  readonly ignoredFeatures?: readonly string[];
  /** Samples per label the model was trained on. */
  readonly trainedOn: Readonly<Record<string, number>>;
  /** Cross-validation figures, when the trainer attached them. */
  readonly evaluation?: unknown;
}

export interface ActivityPrediction {
  readonly label: CanonicalLabel | null;
  /** Meta-forest vote share per label. */
  readonly probabilities: Readonly<Record<string, number>>;
  /** Vote share of the winning label, 0 when no view is present. */
  readonly confidence: number;
  readonly viewsPresent: readonly View[];
}

/** Feature names of the model, `view_feature`, in input order. */
export function activityFeatureNames(): string[] {
  return VIEWS.flatMap((view) => VIEW_FEATURES.map((f) => `${view}_${f}`));
}

/**
 * The meta-forest input: per view, the view forest's vote shares per class, or the fill value;
 * then the context features.
 *
 * @example metaFeatures(model.viewForests, features, context, 3) // 7 views × 3 labels + 6 context numbers
 */
export function metaFeatures(
  viewForests: Readonly<Record<View, CompactForest | null>>,
  features: SegmentFeatures,
  context: readonly number[],
  classCount: number,
  out: Float64Array = new Float64Array(VIEWS.length * classCount + context.length),
  votes: Float64Array = new Float64Array(classCount),
): Float64Array {
  for (let v = 0; v < VIEWS.length; v++) {
    const forest = viewForests[VIEWS[v]!];
    const x = features[v];
    if (!forest || !x) {
      out.fill(MISSING_VIEW_FILL, v * classCount, (v + 1) * classCount);
      continue;
    }
    forestVotes(forest, x, votes);
    const n = forest.trees.length;
    for (let c = 0; c < classCount; c++) out[v * classCount + c] = votes[c]! / n;
  }
  const base = VIEWS.length * classCount;
  for (let i = 0; i < context.length; i++) out[base + i] = context[i]!;
  return out;
}

/**
 * Classifies a segment from its view features and context features.
 *
 * @example predictActivity(model, features, contextFeatures(segment.startMs, features)) // { label: 'Métro', confidence: 0.84, ... }
 */
export function predictActivity(model: ActivityModel, features: SegmentFeatures, context: readonly number[]): ActivityPrediction {
  const k = model.labels.length;
  const viewsPresent = VIEWS.filter((_, v) => features[v] !== null && features[v] !== undefined);
  const probabilities: Record<string, number> = {};
  if (viewsPresent.length === 0) {
    for (const label of model.labels) probabilities[label] = 0;
    return { label: null, probabilities, confidence: 0, viewsPresent };
  }
  const meta = metaFeatures(model.viewForests, features, context, k);
  const votes = new Float64Array(k);
  const best = forestVotes(model.metaForest, meta, votes);
  const n = model.metaForest.trees.length;
  model.labels.forEach((label, c) => (probabilities[label] = votes[c]! / n));
  return { label: model.labels[best] ?? null, probabilities, confidence: votes[best]! / n, viewsPresent };
}

/**
 * Checks parsed JSON is an activity model this code can run; throws a RangeError saying what is wrong.
 *
 * @example loadActivityModel(JSON.parse(text))
 */
export function loadActivityModel(json: unknown): ActivityModel {
  const m = json as Partial<ActivityModel> | null;
  if (!m || typeof m !== 'object' || m.format !== ACTIVITY_MODEL_FORMAT) throw new RangeError(`not an activity model (format must be "${ACTIVITY_MODEL_FORMAT}")`);
  if (m.version !== ACTIVITY_MODEL_VERSION) throw new RangeError(`activity model version ${String(m.version)} is not supported (expected ${ACTIVITY_MODEL_VERSION})`);
  if (!Array.isArray(m.labels) || m.labels.length === 0 || !m.labels.every((l) => typeof l === 'string' && isCanonicalLabel(l))) {
    throw new RangeError('activity model labels must be canonical labels');
  }
  if (!m.metaForest || !Array.isArray(m.metaForest.trees) || m.metaForest.trees.length === 0) throw new RangeError('activity model has no meta forest');
  if (!m.viewForests || VIEWS.some((v) => !(v in m.viewForests!))) throw new RangeError('activity model lacks a view forest entry');
  if (JSON.stringify(m.features) !== JSON.stringify(activityFeatureNames()) || JSON.stringify(m.contextFeatures) !== JSON.stringify(CONTEXT_FEATURES)) {
    throw new RangeError('activity model features differ from this code\'s: retrain it');
  }
  if (m.ignoredFeatures !== undefined && (!Array.isArray(m.ignoredFeatures) || m.ignoredFeatures.some((n) => typeof n !== 'string'))) {
    throw new RangeError('activity model ignoredFeatures must be a list of feature names');
  }
  if (m.ignoredFeatures !== undefined) ignoredFeatureIndices(m.ignoredFeatures);
  return m as ActivityModel;
}
