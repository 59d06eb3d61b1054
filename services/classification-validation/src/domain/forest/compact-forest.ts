/**
 * The forest format of the models: per tree, flat arrays of nodes; a node sends `x[feature] <
 * threshold` to the left. {@link trainForest} returns forests in this form:
 * {@link compactForest} flattens a forest trained by `ml-random-forest` (same splits, same leaf
 * votes, so labels and vote shares equal the library's).
 */
import type { RandomForestClassifier } from 'ml-random-forest';

export interface CompactTree {
  /** Feature index (into the full feature vector) of each node; −1 for a leaf. */
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  /** Class index voted by each leaf (−1 for inner nodes). */
  readonly leafClass: number[];
}

export interface CompactForest {
  readonly featureCount: number;
  readonly classCount: number;
  readonly trees: CompactTree[];
}

interface LibraryNode {
  splitColumn?: number;
  splitValue?: number;
  left?: LibraryNode;
  right?: LibraryNode;
  distribution?: number[][] | number[];
}

/**
 * Flattens a trained library forest.
 *
 * @example compactForest(rf, 7, 3) // { featureCount: 7, classCount: 3, trees: [...] }
 */
export function compactForest(rf: RandomForestClassifier, featureCount: number, classCount: number): CompactForest {
  // The JSON form turns the leaves' ml-matrix distributions into plain arrays.
  const model = JSON.parse(JSON.stringify(rf.toJSON())) as {
    baseModel: { indexes: number[][]; estimators: { root: LibraryNode }[] };
  };
  const trees = model.baseModel.estimators.map((estimator, i) => {
    const columns = model.baseModel.indexes[i]!;
    const tree: CompactTree = { feature: [], threshold: [], left: [], right: [], leafClass: [] };
    const visit = (node: LibraryNode): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.leafClass.push(-1);
      if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
        tree.feature[id] = columns[node.splitColumn]!;
        tree.threshold[id] = node.splitValue;
        tree.left[id] = visit(node.left);
        tree.right[id] = visit(node.right);
      } else {
        tree.leafClass[id] = argmaxFirst(node.distribution ?? []);
      }
      return id;
    };
    visit(estimator.root);
    return tree;
  });
  return { featureCount, classCount, trees };
}

/**
 * Counts the trees' votes per class into `votes` (length classCount) and returns the winning class
 * the way the library picks it: the first class, in tree order, to reach the highest count.
 *
 * @example forestVotes(forest, [20.1, 0.3, ...], new Float64Array(3)) // 1
 */
export function forestVotes(forest: CompactForest, x: ArrayLike<number>, votes: Float64Array): number {
  votes.fill(0);
  let best = -1;
  let bestCount = 0;
  for (const tree of forest.trees) {
    let node = 0;
    let f = tree.feature[0]!;
    while (f !== -1) {
      node = x[f]! < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      f = tree.feature[node]!;
    }
    const c = tree.leafClass[node]!;
    const count = votes[c]! + 1;
    votes[c] = count;
    if (count > bestCount) {
      bestCount = count;
      best = c;
    }
  }
  return best;
}

function argmaxFirst(distribution: number[][] | number[]): number {
  const row = (Array.isArray(distribution[0]) ? distribution[0] : distribution) as number[];
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
