import {
  defaultReviewBudgetParams,
  defaultReviewCandidateParams,
  normaliseLabel,
  selectReviewFlags,
  type CanonicalLabel,
  type ReviewBudgetParams,
  type ReviewCandidateParams,
} from '@polluscope/common/domain';
import type { ActivitySegmentRecord, ActivityTimelineRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';
import { episodeIds, machineSpan, reviewedSpan, segmentReviewCandidate, timelineEntry } from './fuse-segment.js';
import { defaultEpisodeRelationParams, relateSegmentToEpisodes, type EpisodeRelationParams, type SegmentEpisodes } from './relate-segment-to-episodes.js';
import { smoothGlitches, type LabelledSpan } from './smooth-glitches.js';
import { stopMajorityLabels, type StopVote } from './stop-majority-labels.js';

/** Which segments are flagged for review (docs/design.md §5.2): candidates, budget, and the days it is per. */
export interface TimelineReviewParams extends ReviewCandidateParams, ReviewBudgetParams {
  /** IANA time zone of the participant: the local days the budget is per. */
  readonly timeZone: string;
}

export const defaultTimelineReviewParams: TimelineReviewParams = Object.freeze({
  ...defaultReviewCandidateParams,
  ...defaultReviewBudgetParams,
  timeZone: 'Europe/Paris',
});

export interface TimelineFusionParams extends EpisodeRelationParams {
  /** Apply single-segment glitch smoothing. */
  readonly smoothGlitches: boolean;
  readonly review: TimelineReviewParams;
}

export const defaultTimelineFusionParams: TimelineFusionParams = Object.freeze({
  ...defaultEpisodeRelationParams,
  smoothGlitches: true,
  review: defaultTimelineReviewParams,
});

/** The last record per key (upsert semantics), sorted by key. */
function upsertByKey<T>(records: readonly T[], key: (record: T) => number): T[] {
  const byKey = new Map<number, T>();
  for (const record of records) byKey.set(key(record), record);
  return [...byKey.values()].sort((a, b) => key(a) - key(b));
}

/** Per segment start, the latest decision (greatest decided_at; on a tie the later record) with a canonical label. */
function latestDecisions(decisions: readonly ReviewDecisionRecord[]): Map<number, CanonicalLabel> {
  const latest = new Map<number, { decidedAtMs: number; label: CanonicalLabel }>();
  for (const decision of decisions) {
    const label = normaliseLabel(decision.label);
    if (label === null) continue;
    const current = latest.get(decision.segment_start);
    if (!current || decision.decided_at >= current.decidedAtMs) latest.set(decision.segment_start, { decidedAtMs: decision.decided_at, label });
  }
  return new Map([...latest].map(([startMs, { label }]) => [startMs, label]));
}

/**
 * Fuses one participant's 5-minute activity segments with their GPS episodes and review decisions
 * into the activity timeline (docs/design.md §5.5). Per segment, in order of precedence:
 * 1. a review decision with a canonical label → that label, source `review`, confidence 1
 *    (never smoothed);
 * 2. qualifying moves of one mode covering ≥ minMoveOverlapFraction of the segment → that mode,
 *    source `gps`, confidence = their overlap-weighted transport probability;
 * 3. inside a stop (it covers ≥ minStopOverlapFraction of the segment) whose segments have a
 *    sensor label → the stop's majority sensor label, source `stop`, confidence = its vote share;
 * 4. otherwise the sensor label (`predicted_label`, possibly null), source `sensors`, its confidence.
 * Then a single-segment glitch between two contiguous equal labels takes their label
 * ({@link smoothGlitches}). See {@link relateSegmentToEpisodes} for coverage. Review flags: each
 * segment's candidate ({@link reviewCandidate}; GPS evidence = source gps or stop) on the label
 * fusion gives without the decisions, then {@link selectReviewFlags} per participant and local day
 * (`params.review.timeZone`): the segments must be whole days for the budget to be the day's. `match` compares the
 * declared label with the final one (null without a declaration); `episode_ids` lists the ISO
 * starts of every episode intersecting the segment. Inputs are upserts: the last segment and
 * episode per start wins, and the latest decision per segment. Output sorted by segment_start.
 *
 * @example fuseTimeline(segments, episodes, []).map((e) => [e.final_label, e.source])
 */
export function fuseTimeline(
  segments: readonly ActivitySegmentRecord[],
  episodes: readonly GpsEpisodeRecord[],
  decisions: readonly ReviewDecisionRecord[],
  params: TimelineFusionParams = defaultTimelineFusionParams,
): ActivityTimelineRecord[] {
  const sortedSegments = upsertByKey(segments, (s) => s.segment_start);
  const sortedEpisodes = upsertByKey(episodes, (e) => e.episode_start);
  const reviewed = latestDecisions(decisions);

  const relations: SegmentEpisodes[] = [];
  const sensorLabels: (CanonicalLabel | null)[] = [];
  const votes: StopVote[] = [];
  for (const segment of sortedSegments) {
    const relation = relateSegmentToEpisodes(segment.segment_start, segment.segment_end, sortedEpisodes, params);
    const label = normaliseLabel(segment.predicted_label);
    relations.push(relation);
    sensorLabels.push(label);
    if (relation.stopStartMs !== null) votes.push({ stopStartMs: relation.stopStartMs, label });
  }
  const stopLabels = stopMajorityLabels(votes);

  // What fusion answers without the reviewers: the review flag is decided on it, so a decision
  // answers its flag instead of moving the budget to another segment.
  const machineSpans = sortedSegments.map((segment, i) => {
    const relation = relations[i] as SegmentEpisodes;
    return machineSpan(segment, relation, sensorLabels[i] ?? null, relation.stopStartMs !== null ? stopLabels.get(relation.stopStartMs) : undefined);
  });
  const smooth = (spans: LabelledSpan[]) => (params.smoothGlitches ? smoothGlitches(spans) : spans);
  const machineFinal = smooth(machineSpans);
  const finalSpans = reviewed.size === 0 ? machineFinal : smooth(machineSpans.map((span) => reviewedSpan(span, reviewed.get(span.startMs))));

  const candidates = sortedSegments.map((segment, i) => segmentReviewCandidate(segment, machineFinal[i] as LabelledSpan, params.review));
  const flags = selectReviewFlags(candidates, params.review);

  return sortedSegments.map((segment, i) => timelineEntry(segment, finalSpans[i] as LabelledSpan, flags[i] === true, candidates[i], episodeIds(relations[i]?.episodeStartsMs ?? [])));
}
