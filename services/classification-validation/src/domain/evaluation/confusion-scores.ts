/**
 * The figures of an honest evaluation (docs/design.md §5.2) from confusion counts
 * ({@link confusionCounts}): accuracy, balanced accuracy, group-level accuracy, per-label F1 and
 * macro-F1. Balanced accuracy and macro-F1 average over the labels present in the truth, so a
 * model answering the majority label scores 1 / (labels present) in balanced accuracy however
 * large the majority.
 */
export interface ConfusionScores {
  readonly segments: number;
  readonly accuracy: number;
  /** Mean recall over the labels present in the truth. */
  readonly balancedAccuracy: number;
  /** Share of segments whose predicted label is in the true label's group (indoor / outdoor / transport). */
  readonly groupAccuracy: number;
  /** Mean F1 over the labels present in the truth. */
  readonly macroF1: number;
  /** F1 per label present in the truth (0 when never right). */
  readonly f1: Readonly<Record<string, number>>;
  /** True segments per label present in the truth. */
  readonly support: Readonly<Record<string, number>>;
}

/**
 * @param counts rows: true label, columns: predicted label, then one column of unlabelled segments
 * @param groupOf the group of a label (e.g. `labelGroup`)
 * @example confusionScores([[2, 0, 0], [1, 1, 0]], ['A', 'B'], () => 'g') // accuracy 0.75, balancedAccuracy 0.75, groupAccuracy 1
 */
export function confusionScores(counts: readonly (readonly number[])[], labels: readonly string[], groupOf: (label: string) => string): ConfusionScores {
  let segments = 0;
  let correct = 0;
  let groupCorrect = 0;
  const predictedCount = labels.map(() => 0);
  counts.forEach((row, i) =>
    labels.forEach((label, j) => {
      const c = row[j]!;
      predictedCount[j]! += c;
      if (i === j) correct += c;
      if (groupOf(labels[i]!) === groupOf(label)) groupCorrect += c;
    }),
  );
  const f1: Record<string, number> = {};
  const support: Record<string, number> = {};
  let recallSum = 0;
  counts.forEach((row, i) => {
    const actual = row.reduce((a, b) => a + b, 0);
    segments += actual;
    if (actual === 0) return;
    const tp = row[i]!;
    support[labels[i]!] = actual;
    f1[labels[i]!] = tp === 0 ? 0 : (2 * tp) / (actual + predictedCount[i]!);
    recallSum += tp / actual;
  });
  const present = Object.keys(support).length;
  const mean = (sum: number, n: number) => (n === 0 ? 0 : sum / n);
  return {
    segments,
    accuracy: mean(correct, segments),
    balancedAccuracy: mean(recallSum, present),
    groupAccuracy: mean(groupCorrect, segments),
    macroF1: mean(Object.values(f1).reduce((a, b) => a + b, 0), present),
    f1,
    support,
  };
}
