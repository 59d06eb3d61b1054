import { linearRegression, mean, medianSorted, standardDeviation } from 'simple-statistics';
import { VIEWS, type MeasuredMinute, type View } from '../segments/segment-rows.js';

/**
 * Features of one view over one segment, in this order:
 * mean; std (population); min; max; median; slope (least squares, unit per minute, against
 * minutes since the first value); delta (last − first value, by time).
 */
export const VIEW_FEATURES = ['mean', 'std', 'min', 'max', 'median', 'slope_per_min', 'delta'] as const;

export interface ViewFeatureParams {
  /** A view is present when it has more than this many non-null values in the segment. */
  readonly minValuesExclusive: number;
}

export const defaultViewFeatureParams: ViewFeatureParams = Object.freeze({ minValuesExclusive: 2 });

/** Per view (in {@link VIEWS} order) its features, or `null` when the view is absent. */
export type SegmentFeatures = (readonly number[] | null)[];

/**
 * Features of each view of a segment's minutes.
 *
 * @example segmentFeatures(segment.rows)[0] // temperature: [mean, std, min, max, median, slope/min, delta] or null
 */
export function segmentFeatures(rows: readonly MeasuredMinute[], params: ViewFeatureParams = defaultViewFeatureParams): SegmentFeatures {
  return VIEWS.map((view) => viewFeatures(rows, view, params));
}

/**
 * Features of one view, or `null` when it has too few values.
 *
 * @example viewFeatures(rows, 'no2') // [20, 1.63, 18, 22, 20, 1, 4] for 18, 20, 22 at minutes 0, 2, 4
 */
export function viewFeatures(rows: readonly MeasuredMinute[], view: View, params: ViewFeatureParams = defaultViewFeatureParams): number[] | null {
  const values: number[] = [];
  const points: [number, number][] = [];
  let t0 = Number.NaN;
  for (const row of rows) {
    const x = row[view];
    if (x === null) continue;
    if (Number.isNaN(t0)) t0 = row.timeMs;
    values.push(x);
    points.push([(row.timeMs - t0) / 60_000, x]);
  }
  if (values.length <= params.minValuesExclusive) return null;
  const first = values[0]!;
  const last = values[values.length - 1]!;
  const sorted = [...values].sort((a, b) => a - b);
  return [
    mean(values),
    standardDeviation(values),
    sorted[0]!,
    sorted[sorted.length - 1]!,
    medianSorted(sorted),
    linearRegression(points).m,
    last - first,
  ];
}
