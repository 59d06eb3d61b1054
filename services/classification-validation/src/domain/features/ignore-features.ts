import { VIEWS } from '../segments/segment-rows.js';
import { CONTEXT_FEATURES } from './context-features.js';
import { VIEW_FEATURES, type SegmentFeatures } from './view-features.js';

/**
 * Value an ignored feature is held at while training: a constant no tree can split on, so the
 * trained model never reads the feature (the service still computes it; the model ignores it).
 */
export const IGNORED_FEATURE_VALUE = 0;

/** Indices of ignored features: per view (in {@link VIEWS} order) its view-feature indices, and the context indices. */
export interface IgnoredFeatureIndices {
  readonly view: readonly (readonly number[])[];
  readonly context: readonly number[];
}

/**
 * Indices of the named features: `view_feature` names (`temperature_mean`, as
 * `activityFeatureNames`) and context names ({@link CONTEXT_FEATURES}). An unknown name throws a
 * RangeError naming it.
 *
 * @example ignoredFeatureIndices(['humidity_mean', 'weekend']) // { view: [[], [0], [], …], context: [2] }
 */
export function ignoredFeatureIndices(names: readonly string[]): IgnoredFeatureIndices {
  const view = VIEWS.map(() => [] as number[]);
  const context: number[] = [];
  for (const name of names) {
    const c = (CONTEXT_FEATURES as readonly string[]).indexOf(name);
    if (c >= 0) {
      context.push(c);
      continue;
    }
    const v = VIEWS.findIndex((vw) => name.startsWith(`${vw}_`));
    const f = v < 0 ? -1 : (VIEW_FEATURES as readonly string[]).indexOf(name.slice(VIEWS[v]!.length + 1));
    if (f < 0) throw new RangeError(`unknown feature "${name}" (view_feature, e.g. temperature_mean, or one of ${CONTEXT_FEATURES.join(', ')})`);
    view[v]!.push(f);
  }
  return { view, context };
}

/**
 * A copy of the features with the ignored ones at {@link IGNORED_FEATURE_VALUE}; absent views stay
 * absent.
 *
 * @example ignoreFeatures(features, context, ignoredFeatureIndices(['weekend'])) // context[2] === 0
 */
export function ignoreFeatures(
  features: SegmentFeatures,
  context: readonly number[],
  ignored: IgnoredFeatureIndices,
): { features: SegmentFeatures; context: number[] } {
  return {
    features: features.map((x, v) => {
      const drop = ignored.view[v] ?? [];
      if (x === null || drop.length === 0) return x;
      const copy = [...x];
      for (const f of drop) copy[f] = IGNORED_FEATURE_VALUE;
      return copy;
    }),
    context: context.map((x, i) => (ignored.context.includes(i) ? IGNORED_FEATURE_VALUE : x)),
  };
}
