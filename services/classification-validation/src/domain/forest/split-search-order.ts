/**
 * The row order in which samples are handed to `ml-random-forest` (without its own sample bagging)
 * so that its CART searches few thresholds on binned features at little cost.
 *
 * The library sorts each feature with a stable sort, so rows with equal (binned) values keep the
 * order given here, and it emits a candidate threshold at every class change along that order. A
 * class-sorted order leaves at most one change per class inside each run of equal values. But the
 * library also counts a node's classes with `indexOf` (each sample looks for the first sample of its
 * class), which is quadratic when a large class first appears late. So: first a seeded random
 * `headShare` of the rows (every common class appears early in every node), then the rest grouped
 * by class, rarest class first (a class absent from the head is small and appears soon after it).
 */

/**
 * Indices of `y` in split-search order: a shuffled head of round(headShare · n) rows, then the
 * remaining rows by class (rarest class first, ties by class index), each class in index order.
 *
 * @example splitSearchOrder([0, 0, 0, 1], 0, Math.random) // [3, 0, 1, 2]
 * @param random uniform in [0, 1), seeded by the caller for reproducible trees.
 */
export function splitSearchOrder(y: readonly number[], headShare: number, random: () => number): number[] {
  if (!(headShare >= 0 && headShare <= 1)) throw new RangeError(`headShare must be in [0, 1], got ${headShare}`);
  const order = y.map((_, i) => i);
  const head = Math.round(headShare * y.length);
  // Partial Fisher–Yates: the first `head` positions become a uniform random sample, in random order.
  for (let i = 0; i < head; i++) {
    const j = i + Math.floor(random() * (y.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const count = new Map<number, number>();
  for (const c of y) count.set(c, (count.get(c) ?? 0) + 1);
  const tail = order.slice(head).sort((a, b) => {
    const ca = y[a]!;
    const cb = y[b]!;
    return count.get(ca)! - count.get(cb)! || ca - cb || a - b;
  });
  return [...order.slice(0, head), ...tail];
}
