import type { CanonicalLabel, ReviewReason } from '@polluscope/common/domain';
import { contextFeatures, defaultContextFeatureParams, type ContextFeatureParams } from './features/context-features.js';
import { defaultViewFeatureParams, segmentFeatures, type ViewFeatureParams } from './features/view-features.js';
import { predictActivity, type ActivityModel } from './model/activity-model.js';
import { applyTimeOfDayRules, defaultTimeOfDayRulesParams, type TimeOfDayRule, type TimeOfDayRulesParams } from './rules/time-of-day-rules.js';
import { defaultSegmentParams, type MeasuredMinute, type SegmentParams, type View } from './segments/segment-rows.js';
import { majorityLabel } from './validation/majority-label.js';
import { defaultSegmentValidationParams, validateSegment, type SegmentValidationParams } from './validation/validate-segment.js';

export interface ClassifySegmentParams {
  readonly segment: SegmentParams;
  readonly features: ViewFeatureParams;
  /**
   * Context features' time zone when the rules are off; when they are on, the rules' `timeZone`
   * is the participant's and serves both (one setting, e.g. the service's TIME_ZONE).
   */
  readonly context: ContextFeatureParams;
  /** `null` switches every time-of-day rule off. */
  readonly rules: TimeOfDayRulesParams | null;
  readonly validation: SegmentValidationParams;
}

export const defaultClassifySegmentParams: ClassifySegmentParams = Object.freeze({
  segment: defaultSegmentParams,
  features: defaultViewFeatureParams,
  context: defaultContextFeatureParams,
  rules: defaultTimeOfDayRulesParams,
  validation: defaultSegmentValidationParams,
});

/** One classified and validated 5-minute segment (`activity.segments`). */
export interface ActivitySegment {
  readonly segmentStartMs: number;
  readonly segmentEndMs: number;
  /** Final label (after the time-of-day rules); `null` when no view is present. */
  readonly label: CanonicalLabel | null;
  /** The meta forest's label before the rules. */
  readonly modelLabel: CanonicalLabel | null;
  readonly rule: TimeOfDayRule | null;
  /** Meta-forest vote share of the model's label (rules do not change it). */
  readonly confidence: number;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly viewsPresent: readonly View[];
  readonly minutes: number;
  readonly declaredLabel: CanonicalLabel | null;
  readonly match: boolean | null;
  /** A review candidate on the sensor evidence alone, before the day's budget (validateSegment). */
  readonly needsReview: boolean;
  readonly reviewReason: ReviewReason | null;
  /** Probability that `label` is wrong, 0..1; null without a label. */
  readonly wrongProbability: number | null;
}

/**
 * Classifies and validates one segment from its cleaned minutes; the service calls it once the
 * watermark passes the segment's end, the CLI on every segment of a file.
 *
 * @example classifySegment(segment.startMs, segment.rows, model) // { label: 'Bureau', confidence: 0.72, match: true, ... }
 */
export function classifySegment(
  segmentStartMs: number,
  rows: readonly MeasuredMinute[],
  model: ActivityModel,
  params: ClassifySegmentParams = defaultClassifySegmentParams,
): ActivitySegment {
  const features = segmentFeatures(rows, params.features);
  const context = contextFeatures(segmentStartMs, features, params.rules === null ? params.context : { timeZone: params.rules.timeZone });
  const prediction = predictActivity(model, features, context);
  let label = prediction.label;
  let rule: TimeOfDayRule | null = null;
  if (label !== null && params.rules !== null) ({ label, rule } = applyTimeOfDayRules(label, segmentStartMs, params.rules, prediction.confidence));
  const declaredLabel = majorityLabel(rows.map((r) => r.activity));
  const { match, needsReview, reviewReason, wrongProbability } = validateSegment(label, prediction.confidence, declaredLabel, params.validation);
  return {
    segmentStartMs,
    segmentEndMs: segmentStartMs + params.segment.segmentMs,
    label,
    modelLabel: prediction.label,
    rule,
    confidence: prediction.confidence,
    probabilities: prediction.probabilities,
    viewsPresent: prediction.viewsPresent,
    minutes: rows.length,
    declaredLabel,
    match,
    needsReview,
    reviewReason,
    wrongProbability,
  };
}
