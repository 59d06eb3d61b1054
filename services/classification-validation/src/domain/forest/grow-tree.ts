import type { CompactTree } from './compact-forest.js';
import type { FeatureBins } from './feature-bins.js';

export interface GrowTreeParams {
  readonly maxDepth: number;
  /** A node with this many samples or fewer becomes a leaf. */
  readonly minNumSamples: number;
  /** Features drawn (without replacement) at each node, ≥ 1. */
  readonly featuresPerNode: number;
}

/**
 * Grows one CART classification tree (Gini impurity) on binned features: at each node it draws
 * `featuresPerNode` features, builds their class histograms over the bins and takes the split
 * with the lowest weighted Gini impurity; a node becomes a leaf at `maxDepth`, when it holds
 * `minNumSamples` samples or fewer, when it is pure, or when no drawn feature splits it with a
 * gain. A leaf votes its majority class (ties: the lowest class index).
 *
 * @example growTree(bins, y, 3, bootstrapIndices, { maxDepth: 8, minNumSamples: 2, featuresPerNode: 2 }, mulberry32(1))
 * @param sample indices of the training samples (repeats allowed: a bootstrap); reordered in place.
 * @returns the tree in compact form, thresholds taken from the bins.
 */
export function growTree(
  bins: FeatureBins,
  y: ArrayLike<number>,
  classCount: number,
  sample: number[],
  params: GrowTreeParams,
  random: () => number,
): CompactTree {
  const k = classCount;
  const featureCount = bins.binOf.length;
  const maxBins = Math.max(1, ...bins.thresholds.map((t) => t.length + 1));
  const tree: CompactTree = { feature: [], threshold: [], left: [], right: [], leafClass: [] };
  const hist = new Float64Array(maxBins * k);
  const binTotal = new Float64Array(maxBins);
  const leftCounts = new Float64Array(k);
  const nodeCounts = new Float64Array(k);
  const features = Array.from({ length: featureCount }, (_, f) => f);
  const draw = Math.max(1, Math.min(featureCount, params.featuresPerNode));

  const addNode = (): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.leafClass.push(-1);
    return tree.feature.length - 1;
  };

  const grow = (start: number, end: number, depth: number): number => {
    const id = addNode();
    const n = end - start;
    nodeCounts.fill(0);
    for (let i = start; i < end; i++) nodeCounts[y[sample[i]!]!]!++;
    let majority = 0;
    let distinctClasses = 0;
    let parentSq = 0;
    for (let c = 0; c < k; c++) {
      const count = nodeCounts[c]!;
      if (count > nodeCounts[majority]!) majority = c;
      if (count > 0) distinctClasses++;
      parentSq += count * count;
    }
    if (depth >= params.maxDepth || n <= params.minNumSamples || distinctClasses <= 1) {
      tree.leafClass[id] = majority;
      return id;
    }
    // Minimising weighted Gini = maximising Σ_c L_c²/n_L + Σ_c R_c²/n_R.
    let bestScore = parentSq / n + 1e-9;
    let bestFeature = -1;
    let bestBin = -1;
    for (let d = 0; d < draw; d++) {
      const j = d + Math.floor(random() * (featureCount - d));
      const f = features[j]!;
      features[j] = features[d]!;
      features[d] = f;
      const binOf = bins.binOf[f]!;
      const binCount = bins.thresholds[f]!.length + 1;
      if (binCount < 2) continue;
      for (let i = start; i < end; i++) {
        const s = sample[i]!;
        const b = binOf[s]!;
        hist[b * k + y[s]!]!++;
        binTotal[b]!++;
      }
      leftCounts.fill(0);
      let nLeft = 0;
      let leftSq = 0;
      let rightSq = parentSq;
      for (let b = 0; b < binCount - 1; b++) {
        const total = binTotal[b]!;
        if (total === 0) continue;
        for (let c = 0; c < k; c++) {
          const a = hist[b * k + c]!;
          if (a === 0) continue;
          const l = leftCounts[c]!;
          const r = nodeCounts[c]! - l;
          leftSq += 2 * l * a + a * a;
          rightSq += -2 * r * a + a * a;
          leftCounts[c] = l + a;
        }
        nLeft += total;
        if (nLeft === n) break;
        const score = leftSq / nLeft + rightSq / (n - nLeft);
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          bestBin = b + 1;
        }
      }
      for (let i = start; i < end; i++) {
        const b = binOf[sample[i]!]!;
        binTotal[b] = 0;
        hist.fill(0, b * k, b * k + k);
      }
    }
    if (bestFeature === -1) {
      tree.leafClass[id] = majority;
      return id;
    }
    // Partition: bins below bestBin (values < threshold) to the left.
    const binOf = bins.binOf[bestFeature]!;
    let mid = start;
    for (let i = start; i < end; i++) {
      const s = sample[i]!;
      if (binOf[s]! < bestBin) {
        sample[i] = sample[mid]!;
        sample[mid++] = s;
      }
    }
    tree.feature[id] = bestFeature;
    tree.threshold[id] = bins.thresholds[bestFeature]![bestBin - 1]!;
    tree.left[id] = grow(start, mid, depth + 1);
    tree.right[id] = grow(mid, end, depth + 1);
    return id;
  };

  grow(0, sample.length, 0);
  return tree;
}
