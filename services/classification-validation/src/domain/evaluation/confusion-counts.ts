/**
 * Confusion counts of predicted against true labels: `counts[i][j]` segments of true label
 * `labels[i]` predicted as `labels[j]`; the last column counts segments given no label (or a
 * label outside `labels`), which are wrong. Counts add up, so a group of participants' matrix is
 * the sum of theirs (what the participant bootstrap resamples).
 *
 * @example confusionCounts(['A', 'B'], ['A', null], ['A', 'B']) // [[1, 0, 0], [0, 0, 1]]
 */
export function confusionCounts(truth: readonly string[], predicted: readonly (string | null)[], labels: readonly string[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => new Array<number>(labels.length + 1).fill(0));
  truth.forEach((t, s) => {
    const i = index.get(t);
    if (i === undefined) throw new RangeError(`confusionCounts: true label "${t}" is not in the labels`);
    const p = predicted[s] ?? null;
    const j = p === null ? labels.length : (index.get(p) ?? labels.length);
    counts[i]![j]!++;
  });
  return counts;
}

/** Element-wise sum of confusion counts of the same shape. */
export function addConfusionCounts(matrices: readonly (readonly (readonly number[])[])[]): number[][] {
  const first = matrices[0];
  if (first === undefined) throw new RangeError('addConfusionCounts needs at least one matrix');
  const sum = first.map((row) => row.map(() => 0));
  for (const m of matrices) m.forEach((row, i) => row.forEach((c, j) => (sum[i]![j]! += c)));
  return sum;
}
