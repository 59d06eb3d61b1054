import { contextFeatures, defaultContextFeatureParams, type ContextFeatureParams } from '../features/context-features.js';
import { defaultViewFeatureParams, segmentFeatures, type ViewFeatureParams } from '../features/view-features.js';
import { defaultSegmentParams, segmentRows, segmentStartMs, type MeasuredMinute, type SegmentParams } from '../segments/segment-rows.js';
import { majorityLabel } from '../validation/majority-label.js';
import type { ActivitySample } from './train-activity-model.js';

/** A labelled minute (declared, reviewed or simulator truth). */
export interface LabelledMinute {
  readonly timeMs: number;
  readonly label: string | null;
}

/**
 * Training samples of one participant: each segment with at least one view gets the majority
 * normalised label of the labelled minutes in it; segments without a known label are skipped.
 * Context features use `params.context.timeZone` (the participant's, Europe/Paris by default).
 *
 * @example buildActivitySamples('p1', cleanedRows, truthMinutes) // [{ participantId: 'p1', label: 'Bus', ... }]
 */
export function buildActivitySamples(
  participantId: string,
  rows: readonly MeasuredMinute[],
  labels: readonly LabelledMinute[],
  params: { readonly segment: SegmentParams; readonly features: ViewFeatureParams; readonly context: ContextFeatureParams } = {
    segment: defaultSegmentParams,
    features: defaultViewFeatureParams,
    context: defaultContextFeatureParams,
  },
): ActivitySample[] {
  const labelsBySegment = new Map<number, (string | null)[]>();
  for (const l of [...labels].sort((a, b) => a.timeMs - b.timeMs)) {
    const s = segmentStartMs(l.timeMs, params.segment);
    const list = labelsBySegment.get(s) ?? [];
    list.push(l.label);
    labelsBySegment.set(s, list);
  }
  const samples: ActivitySample[] = [];
  for (const segment of segmentRows(rows, params.segment)) {
    const label = majorityLabel(labelsBySegment.get(segment.startMs) ?? []);
    if (label === null) continue;
    const features = segmentFeatures(segment.rows, params.features);
    if (features.every((f) => f === null)) continue;
    samples.push({ participantId, segmentStartMs: segment.startMs, label, features, context: contextFeatures(segment.startMs, features, params.context) });
  }
  return samples;
}
