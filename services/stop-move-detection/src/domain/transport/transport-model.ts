import { isCanonicalLabel, type CanonicalLabel } from '@polluscope/common/domain';
import { TRANSPORT_FEATURE_NAMES } from './transport-features.js';

export const TRANSPORT_MODEL_FORMAT = 'polluscope-transport-model';
export const TRANSPORT_MODEL_VERSION = 1;

/**
 * One tree of the forest in flat arrays: node k is a leaf when feature[k] is -1 (value[k] is then
 * its class index), otherwise x[feature[k]] < threshold[k] goes to left[k], else right[k].
 */
export interface CompactTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

/** Hyper-parameters handed to ml-random-forest. */
export interface TransportForestParams {
  readonly nEstimators: number;
  /** Share of the features each tree sees (feature bagging per tree, without replacement). */
  readonly maxFeatures: number;
  readonly maxDepth: number;
  /** A node with at most this many samples becomes a leaf. */
  readonly minNumSamples: number;
  readonly seed: number;
}

export const defaultTransportForestParams: TransportForestParams = Object.freeze({
  nEstimators: 60,
  maxFeatures: 0.6,
  maxDepth: 12,
  minNumSamples: 3,
  seed: 42,
});

/** The JSON model file: a version, the feature list it reads, its labels and its trees. */
export interface TransportModel {
  readonly format: typeof TRANSPORT_MODEL_FORMAT;
  readonly version: typeof TRANSPORT_MODEL_VERSION;
  readonly featureNames: readonly string[];
  readonly labels: readonly CanonicalLabel[];
  readonly params: TransportForestParams;
  readonly trainingSamples: number;
  readonly trees: readonly CompactTree[];
}

/** ml-random-forest's `toJSON()` shape, as far as it is read here. */
interface LibNode {
  readonly splitColumn?: number;
  readonly splitValue?: number;
  readonly left?: LibNode;
  readonly right?: LibNode;
  readonly distribution?: number[][] | { to2DArray(): number[][] };
}
export interface LibForestJson {
  readonly baseModel: { readonly indexes: number[][]; readonly estimators: Array<{ readonly root: LibNode }> };
}

/**
 * Flattens a trained ml-random-forest classifier (its `toJSON()`) into compact trees over the
 * full feature vector; a leaf predicts the first class of highest frequency, as ml-cart does.
 *
 * @example compactRandomForest(forest.toJSON())
 */
export function compactRandomForest(json: LibForestJson): CompactTree[] {
  return json.baseModel.estimators.map((estimator, t) => {
    const used = json.baseModel.indexes[t] ?? [];
    const tree = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
    const visit = (node: LibNode): number => {
      const k = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(-1);
      if (node.left && node.right) {
        tree.feature[k] = used[node.splitColumn ?? 0] ?? 0;
        tree.threshold[k] = node.splitValue ?? 0;
        tree.left[k] = visit(node.left);
        tree.right[k] = visit(node.right);
      } else {
        const dist = node.distribution;
        const row = (Array.isArray(dist) ? dist : (dist?.to2DArray() ?? [[]]))[0] ?? [];
        let best = 0;
        for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
        tree.value[k] = best;
      }
      return k;
    };
    visit(estimator.root);
    return tree;
  });
}

/**
 * Votes of the trees for one feature vector: counts per class index, and the class the library
 * would return (the first to reach the highest count, ml-array-mode's tie rule).
 */
export function forestVotes(trees: readonly CompactTree[], features: ArrayLike<number>, classes: number): { votes: number[]; best: number } {
  const votes = new Array<number>(classes).fill(0);
  let best = -1;
  let bestCount = 0;
  for (const tree of trees) {
    let k = 0;
    while (tree.feature[k]! >= 0) k = features[tree.feature[k]!]! < tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
    const c = tree.value[k]!;
    const count = ++votes[c]!;
    if (count > bestCount) {
      bestCount = count;
      best = c;
    }
  }
  return { votes, best };
}

/**
 * Checks a parsed model file; throws with the reason when it is not a transport model this code
 * can read (other format or version, other feature list).
 *
 * @example parseTransportModel(JSON.parse(readFileSync('models/transport-model.json', 'utf8')))
 */
export function parseTransportModel(json: unknown): TransportModel {
  const m = json as Partial<TransportModel> | null;
  if (m === null || typeof m !== 'object' || m.format !== TRANSPORT_MODEL_FORMAT) throw new Error(`not a ${TRANSPORT_MODEL_FORMAT} file`);
  if (m.version !== TRANSPORT_MODEL_VERSION) throw new Error(`transport model version ${String(m.version)}, expected ${TRANSPORT_MODEL_VERSION}`);
  if (JSON.stringify(m.featureNames) !== JSON.stringify(TRANSPORT_FEATURE_NAMES)) throw new Error('transport model was trained on another feature list');
  if (!Array.isArray(m.labels) || m.labels.length === 0 || !m.labels.every((l) => isCanonicalLabel(l))) throw new Error('transport model labels are not canonical labels');
  if (!Array.isArray(m.trees) || m.trees.length === 0) throw new Error('transport model has no trees');
  return m as TransportModel;
}
