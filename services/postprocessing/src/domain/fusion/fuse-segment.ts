/**
 * The per-segment steps of {@link fuseTimeline}, shared with the streaming fusion so that both
 * compute each entry with the same code: the label fusion gives without reviewers, a review
 * applied to it, the segment's review candidate, and the timeline entry.
 */
import { labelGroup, normaliseLabel, reviewCandidate, type BudgetedSegment, type CanonicalLabel, type ReviewCandidate } from '@polluscope/common/domain';
import { localDay } from '../exposure/local-day.js';
import type { ActivitySegmentRecord, ActivityTimelineRecord } from '../records.js';
import type { TimelineReviewParams } from './fuse-timeline.js';
import type { SegmentEpisodes } from './relate-segment-to-episodes.js';
import type { LabelledSpan } from './smooth-glitches.js';
import type { StopMajority } from './stop-majority-labels.js';

/**
 * The label fusion gives a segment before smoothing and without reviews: its qualifying move's
 * mode (`gps`), else the majority of the stop it is inside (`stop`), else its sensor label.
 *
 * @example machineSpan(segment, relation, 'Domicile', undefined).source // 'sensors'
 */
export function machineSpan(
  segment: ActivitySegmentRecord,
  relation: Pick<SegmentEpisodes, 'move'>,
  sensorLabel: CanonicalLabel | null,
  stop: StopMajority | undefined,
): LabelledSpan {
  // Literal objects of one shape: the streaming fusion keeps one per held segment.
  const startMs = segment.segment_start;
  const endMs = segment.segment_end;
  if (relation.move) return { startMs, endMs, label: relation.move.mode, source: 'gps', confidence: relation.move.confidence };
  if (stop) return { startMs, endMs, label: stop.label, source: 'stop', confidence: stop.share };
  return { startMs, endMs, label: sensorLabel, source: 'sensors', confidence: segment.confidence };
}

/** A span with a reviewer's label when there is one (source `review`, confidence 1). */
export function reviewedSpan(span: LabelledSpan, review: CanonicalLabel | undefined): LabelledSpan {
  return review ? { ...span, label: review, source: 'review', confidence: 1 } : span;
}

/**
 * The review candidate of a segment from the smoothed label fusion gives without reviewers (GPS
 * evidence = source gps or stop), tagged with its participant and local day for the budget.
 */
export function segmentReviewCandidate(segment: ActivitySegmentRecord, machineFinal: LabelledSpan, params: TimelineReviewParams): BudgetedSegment {
  const evidence = { finalLabel: machineFinal.label, confidence: machineFinal.confidence, declaredLabel: normaliseLabel(segment.declared_label), gpsEvidence: machineFinal.source !== 'sensors' };
  return { ...reviewCandidate(evidence, params), participantDay: `${segment.participant_virtual_id} ${localDay(segment.segment_start, params.timeZone)}` };
}

/** The `episode_ids` of a segment: the ISO starts of the episodes it intersects, comma-separated; null when none. */
export function episodeIds(episodeStartsMs: readonly number[]): string | null {
  return episodeStartsMs.length === 0 ? null : episodeStartsMs.map((ms) => new Date(ms).toISOString()).join(',');
}

/** The `activity.timeline` entry of a segment from its final span, review flag and candidate, and its {@link episodeIds}. */
export function timelineEntry(
  segment: ActivitySegmentRecord,
  span: LabelledSpan,
  flagged: boolean,
  candidate: ReviewCandidate | undefined,
  episodeIds: string | null,
): ActivityTimelineRecord {
  const declared = normaliseLabel(segment.declared_label);
  return {
    participant_virtual_id: segment.participant_virtual_id,
    segment_start: segment.segment_start,
    segment_end: segment.segment_end,
    minutes: segment.minutes,
    final_label: span.label,
    label_group: span.label === null ? null : labelGroup(span.label),
    source: span.source,
    confidence: span.confidence,
    declared_label: declared,
    match: declared === null ? null : declared === span.label,
    episode_ids: episodeIds,
    needs_review: flagged,
    review_reason: flagged ? (candidate?.reason ?? null) : null,
    review_wrong_probability: candidate?.wrongProbability ?? null,
    pm1_mean: segment.pm1_mean,
    pm25_mean: segment.pm25_mean,
    pm10_mean: segment.pm10_mean,
    no2_mean: segment.no2_mean,
    bc_mean: segment.bc_mean,
    temperature_mean: segment.temperature_mean,
    humidity_mean: segment.humidity_mean,
  };
}

/** Whether two entries are equal field for field (Object.is: a re-emission only when something changed). */
export function sameTimelineEntry(a: ActivityTimelineRecord, b: ActivityTimelineRecord): boolean {
  return (Object.keys(b) as (keyof ActivityTimelineRecord)[]).every((key) => Object.is(a[key], b[key]));
}
