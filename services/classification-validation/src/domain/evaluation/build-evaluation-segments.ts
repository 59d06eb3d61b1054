import { buildActivitySamples, type LabelledMinute } from '../model/build-activity-samples.js';
import type { MeasuredMinute } from '../segments/segment-rows.js';
import type { EvaluationSegment } from './predict-held-out.js';

type SampleParams = NonNullable<Parameters<typeof buildActivitySamples>[3]>;

/**
 * One participant's segments to evaluate on: each segment with a view and a true label, with the
 * majority of the labels declared in its minutes (`activity`, normalised; null when none).
 *
 * @example buildEvaluationSegments('sim-001', cleanedMinutes, truthMinutes) // [{ label: 'Bus', declaredLabel: 'Voiture', ... }]
 */
export function buildEvaluationSegments(
  participantId: string,
  rows: readonly MeasuredMinute[],
  truth: readonly LabelledMinute[],
  params?: SampleParams,
): EvaluationSegment[] {
  const declared = new Map(
    buildActivitySamples(participantId, rows, rows.map((r) => ({ timeMs: r.timeMs, label: r.activity })), params).map((s) => [s.segmentStartMs, s.label]),
  );
  return buildActivitySamples(participantId, rows, truth, params).map((s) => ({ ...s, declaredLabel: declared.get(s.segmentStartMs) ?? null }));
}
