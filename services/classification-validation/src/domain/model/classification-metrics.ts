/** Accuracy, macro-F1 and confusion matrix of predicted against true labels. */
export interface ClassificationMetrics {
  readonly samples: number;
  readonly accuracy: number;
  /** Mean F1 over the labels present in the truth. */
  readonly macroF1: number;
  readonly labels: readonly string[];
  /** confusion[i][j] = samples of true label i predicted as label j (labels order). */
  readonly confusion: readonly (readonly number[])[];
  /** Per label present in the truth: F1, precision (0 when never predicted), recall, true count. */
  readonly f1: Readonly<Record<string, number>>;
  readonly precision: Readonly<Record<string, number>>;
  readonly recall: Readonly<Record<string, number>>;
  readonly support: Readonly<Record<string, number>>;
}

/**
 * Scores predictions; a `null` prediction counts as wrong and outside the matrix columns.
 *
 * @example classificationMetrics(['A', 'B'], ['A', 'A'], ['A', 'B']) // accuracy 0.5, macroF1 (2/3 + 0) / 2
 */
export function classificationMetrics(truth: readonly string[], predicted: readonly (string | null)[], labels: readonly string[]): ClassificationMetrics {
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  truth.forEach((t, s) => {
    const p = predicted[s] ?? null;
    if (p === t) correct++;
    const i = index.get(t);
    const j = p === null ? undefined : index.get(p);
    if (i !== undefined && j !== undefined) confusion[i]![j] = confusion[i]![j]! + 1;
  });
  const f1: Record<string, number> = {};
  const precision: Record<string, number> = {};
  const recall: Record<string, number> = {};
  const support: Record<string, number> = {};
  const present = labels.filter((l) => truth.includes(l));
  for (const label of present) {
    const i = index.get(label)!;
    const tp = confusion[i]![i]!;
    const actual = truth.filter((t) => t === label).length;
    const predictedCount = predicted.filter((p) => p === label).length;
    f1[label] = tp === 0 ? 0 : (2 * tp) / (actual + predictedCount);
    precision[label] = predictedCount === 0 ? 0 : tp / predictedCount;
    recall[label] = tp / actual;
    support[label] = actual;
  }
  const macroF1 = present.length === 0 ? 0 : present.reduce((sum, l) => sum + f1[l]!, 0) / present.length;
  return { samples: truth.length, accuracy: truth.length === 0 ? 0 : correct / truth.length, macroF1, labels, confusion, f1, precision, recall, support };
}
