/**
 * The mean of the values that are present (not null), summed in the order given; null when none
 * is. A segment's mean of a variable is this over its minutes in time order, wherever it is
 * computed (classification, `polluscope exposure`), so the results agree to the last bit (a plain
 * sum: simple-statistics' `mean` compensates its sum and would not).
 *
 * @example meanOfPresent([1, null, 3]) // 2
 */
export function meanOfPresent(values: Iterable<number | null>): number | null {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    sum += value;
    count += 1;
  }
  return count === 0 ? null : sum / count;
}
