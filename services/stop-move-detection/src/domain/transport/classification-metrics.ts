export interface LabelMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly labels: readonly string[];
  /** confusion[i][j]: samples of true label i predicted as label j. */
  readonly confusion: number[][];
  readonly accuracy: number;
  /** Mean F1 over the labels that occur in the truth. */
  readonly macroF1: number;
  readonly perLabel: LabelMetrics[];
}

/**
 * Accuracy, per-label precision/recall/F1, macro-F1 and confusion matrix. A precision or recall
 * with a zero denominator is 0.
 *
 * @example classificationMetrics(['Walk', 'Bus'], ['Walk', 'Walk'], ['Walk', 'Bus']).accuracy // 0.5
 */
export function classificationMetrics(truth: readonly string[], predicted: readonly string[], labels: readonly string[]): ClassificationMetrics {
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => new Array<number>(labels.length).fill(0));
  let correct = 0;
  truth.forEach((t, k) => {
    const p = predicted[k]!;
    const i = index.get(t);
    const j = index.get(p);
    if (i === undefined || j === undefined) throw new RangeError(`label ${i === undefined ? t : p} not in the label list`);
    confusion[i]![j]!++;
    if (i === j) correct++;
  });
  const perLabel = labels.map((label, i) => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[i]!, 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  const present = perLabel.filter((m) => m.support > 0);
  return {
    labels,
    confusion,
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: present.length === 0 ? 0 : present.reduce((a, m) => a + m.f1, 0) / present.length,
    perLabel,
  };
}
