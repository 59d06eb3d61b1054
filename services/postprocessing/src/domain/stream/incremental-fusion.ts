import { normaliseLabel, selectReviewFlags, type CanonicalLabel, type ReviewCandidate } from '@polluscope/common/domain';
import { localDay, localDayStartMs } from '../exposure/local-day.js';
import { episodeIds, machineSpan, reviewedSpan, sameTimelineEntry, segmentReviewCandidate, timelineEntry } from '../fusion/fuse-segment.js';
import type { TimelineFusionParams } from '../fusion/fuse-timeline.js';
import { intervalOverlapMs, intervalsIntersect } from '../fusion/interval-overlap.js';
import { relateSegmentToEpisodes, type SegmentEpisodes } from '../fusion/relate-segment-to-episodes.js';
import { smoothedSpanAt, type LabelledSpan } from '../fusion/smooth-glitches.js';
import { stopMajorityLabels, type StopMajority } from '../fusion/stop-majority-labels.js';
import type { ActivitySegmentRecord, ActivityTimelineRecord, GpsEpisodeRecord, ReviewDecisionRecord } from '../records.js';

/** What {@link fuseTimeline} computes for one segment, kept between updates. */
interface FusedSegment {
  segment: ActivitySegmentRecord;
  /** Its relation to the episodes, kept as what fusion reads of it. */
  move: SegmentEpisodes['move'];
  stopStartMs: number | null;
  episodeIds: string | null;
  sensorLabel: CanonicalLabel | null;
  /** The label before smoothing and reviews; null until first computed. */
  machine: LabelledSpan | null;
  /** Its review candidate (its day is that of its start). */
  candidate: ReviewCandidate | null;
  flagged: boolean;
  entry: ActivityTimelineRecord | null;
}

/**
 * A participant's fusion, kept up to date segment by segment: what {@link fuseTimeline} would
 * give on the held segments, episodes and decisions, recomputed only where a change can reach.
 * Changes are noted as they are applied to the held records, then {@link refreshFusion} brings
 * the entries up to date.
 */
export interface IncrementalFusion {
  /** Held segment starts, ascending. */
  readonly order: number[];
  readonly fused: Map<number, FusedSegment>;
  /** Held episodes by start; `sortedEpisodes` is rebuilt from them after a change. */
  readonly episodes: Map<number, GpsEpisodeRecord>;
  sortedEpisodes: GpsEpisodeRecord[];
  /** The canonical label of the latest decision per segment start. */
  readonly reviews: Map<number, CanonicalLabel>;
  /** Starts of the segments inside each stop, and the stop's majority sensor label. */
  readonly stopMembers: Map<number, Set<number>>;
  readonly stopLabels: Map<number, StopMajority>;
  /** Longest segment seen, ms: bounds the search for segments an episode intersects. */
  longestSegmentMs: number;
  /** Entries built so far: what the refreshes cost, for tests and benchmarks. */
  entriesBuilt: number;
  // Changes noted since the last refresh.
  readonly changedSegments: Set<number>;
  readonly removedSegments: Set<number>;
  readonly changedEpisodes: [GpsEpisodeRecord | undefined, GpsEpisodeRecord | undefined][];
  readonly changedReviews: Set<number>;
  /** Stops a forgotten segment was inside. */
  readonly changedStops: Set<number>;
}

export function createIncrementalFusion(): IncrementalFusion {
  return {
    order: [],
    fused: new Map(),
    episodes: new Map(),
    sortedEpisodes: [],
    reviews: new Map(),
    stopMembers: new Map(),
    stopLabels: new Map(),
    longestSegmentMs: 0,
    entriesBuilt: 0,
    changedSegments: new Set(),
    removedSegments: new Set(),
    changedEpisodes: [],
    changedReviews: new Set(),
    changedStops: new Set(),
  };
}

/** First index of `sorted` whose value is ≥ `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A held segment was added or replaced. */
export function noteSegment(fusion: IncrementalFusion, segment: ActivitySegmentRecord): void {
  const start = segment.segment_start;
  const fused = fusion.fused.get(start);
  if (fused) fused.segment = segment;
  else {
    fusion.removedSegments.delete(start);
    fusion.order.splice(lowerBound(fusion.order, start), 0, start);
    fusion.fused.set(start, { segment, move: null, stopStartMs: null, episodeIds: null, sensorLabel: null, machine: null, candidate: null, flagged: false, entry: null });
  }
  fusion.longestSegmentMs = Math.max(fusion.longestSegmentMs, segment.segment_end - start);
  fusion.changedSegments.add(start);
}

/** A held segment was forgotten. */
export function forgetSegment(fusion: IncrementalFusion, start: number): void {
  const fused = fusion.fused.get(start);
  if (!fused) return;
  const at = lowerBound(fusion.order, start);
  fusion.order.splice(at, 1);
  fusion.fused.delete(start);
  const stop = fused.stopStartMs;
  if (stop !== null) {
    fusion.stopMembers.get(stop)?.delete(start);
    fusion.changedStops.add(stop);
  }
  fusion.changedSegments.delete(start);
  fusion.removedSegments.add(start);
}

/** A held episode was added, replaced (`previous` given) or forgotten (`next` undefined). */
export function noteEpisode(fusion: IncrementalFusion, previous: GpsEpisodeRecord | undefined, next: GpsEpisodeRecord | undefined): void {
  if (previous && next && sameEpisode(previous, next)) return;
  const start = (next ?? previous)?.episode_start;
  if (start === undefined) return;
  if (next) fusion.episodes.set(start, next);
  else fusion.episodes.delete(start);
  fusion.changedEpisodes.push([previous, next]);
}

/** The latest decision for a segment start changed (undefined: forgotten). */
export function noteDecision(fusion: IncrementalFusion, segmentStart: number, decision: ReviewDecisionRecord | undefined): void {
  const label = decision ? normaliseLabel(decision.label) : null;
  if ((fusion.reviews.get(segmentStart) ?? null) === label) return;
  if (label === null) fusion.reviews.delete(segmentStart);
  else fusion.reviews.set(segmentStart, label);
  fusion.changedReviews.add(segmentStart);
}

function sameEpisode(a: GpsEpisodeRecord, b: GpsEpisodeRecord): boolean {
  return (Object.keys(b) as (keyof GpsEpisodeRecord)[]).every((key) => Object.is(a[key], b[key]));
}

function sameSpan(a: LabelledSpan | null, b: LabelledSpan): boolean {
  return a !== null && a.startMs === b.startMs && a.endMs === b.endMs && a.label === b.label && a.source === b.source && Object.is(a.confidence, b.confidence);
}

function sameCandidate(a: ReviewCandidate | null, b: ReviewCandidate): boolean {
  return a !== null && a.reason === b.reason && Object.is(a.wrongProbability, b.wrongProbability);
}

/** Whether an episode's change can change how it relates to a segment: its kind, or its intersection or overlap with it. */
function changesRelation(previous: GpsEpisodeRecord | undefined, next: GpsEpisodeRecord | undefined, segment: ActivitySegmentRecord): boolean {
  const { segment_start: s, segment_end: e } = segment;
  const touches = (episode: GpsEpisodeRecord | undefined) => episode !== undefined && intervalsIntersect(s, e, episode.episode_start, episode.episode_end);
  const before = touches(previous);
  const after = touches(next);
  if (!before && !after) return false;
  if (!previous || !next || before !== after) return true;
  const sameKind = previous.episode_type === next.episode_type && previous.transport_mode === next.transport_mode && Object.is(previous.transport_probability, next.transport_probability);
  return !sameKind || intervalOverlapMs(s, e, previous.episode_start, previous.episode_end) !== intervalOverlapMs(s, e, next.episode_start, next.episode_end);
}

/**
 * Brings the fusion up to date with the changes noted since the last refresh and returns the
 * starts, ascending, of the segments whose entry is new or changed; {@link fusedEntry} then gives
 * each entry, equal to {@link fuseTimeline}'s on the held records. What is recomputed, and why:
 * - a segment's relation to the episodes, when it is new or changed, or an episode it intersects
 *   (before or after) changed its kind, extent over it, or was forgotten;
 * - a stop's majority, when a segment joined or left it or a member's sensor label changed; then
 *   every member's label;
 * - smoothing, review candidate and final label of the two segments on each side of a segment
 *   whose label, review or neighbours changed (smoothing reads two segments on each side);
 * - review flags of each local day with a changed candidate or segment count (the budget is per day).
 */
export function refreshFusion(fusion: IncrementalFusion, params: TimelineFusionParams): number[] {
  const { order, fused } = fusion;
  const timeZone = params.review.timeZone;
  const relationDirty = new Set(fusion.changedSegments);
  const neighbourhoodDirty = new Set(fusion.changedSegments);
  const dirtyStops = new Set(fusion.changedStops);
  const dirtyDays = new Set<number>();

  for (const start of fusion.removedSegments) {
    // One fewer segment in its day: the day's budget may shrink (a new segment's day is re-decided with its candidate).
    dirtyDays.add(localDay(start, timeZone));
    // The segments that had it as a neighbour: smoothing reads two on each side.
    const at = lowerBound(order, start);
    for (let i = Math.max(0, at - 2); i < Math.min(order.length, at + 2); i++) neighbourhoodDirty.add(order[i] as number);
  }

  if (fusion.changedEpisodes.length > 0) {
    fusion.sortedEpisodes = [...fusion.episodes.values()].sort((a, b) => a.episode_start - b.episode_start);
    for (const [previous, next] of fusion.changedEpisodes) {
      const fromMs = Math.min(previous?.episode_start ?? Infinity, next?.episode_start ?? Infinity) - fusion.longestSegmentMs;
      const toMs = Math.max(previous?.episode_end ?? -Infinity, next?.episode_end ?? -Infinity);
      for (let i = lowerBound(order, fromMs); i < order.length && (order[i] as number) <= toMs; i++) {
        const start = order[i] as number;
        if (changesRelation(previous, next, (fused.get(start) as FusedSegment).segment)) relationDirty.add(start);
      }
    }
  }

  const machineDirty = new Set<number>();
  for (const start of relationDirty) {
    const f = fused.get(start);
    if (!f) continue;
    const { segment } = f;
    const relation = relateSegmentToEpisodes(segment.segment_start, segment.segment_end, fusion.sortedEpisodes, params);
    const sensorLabel = normaliseLabel(segment.predicted_label);
    const before = f.stopStartMs;
    const after = relation.stopStartMs;
    if (before !== after) {
      if (before !== null) fusion.stopMembers.get(before)?.delete(start);
      if (after !== null) {
        let members = fusion.stopMembers.get(after);
        if (!members) fusion.stopMembers.set(after, (members = new Set()));
        members.add(start);
      }
    }
    if (before !== after || sensorLabel !== f.sensorLabel) {
      if (before !== null) dirtyStops.add(before);
      if (after !== null) dirtyStops.add(after);
    }
    f.move = relation.move;
    f.stopStartMs = after;
    f.episodeIds = episodeIds(relation.episodeStartsMs);
    f.sensorLabel = sensorLabel;
    machineDirty.add(start);
  }

  for (const stop of dirtyStops) {
    const members = [...(fusion.stopMembers.get(stop) ?? [])].sort((a, b) => a - b);
    if (members.length === 0) fusion.stopMembers.delete(stop);
    // Votes in time order: a tie goes to the label that appeared first.
    const majority = stopMajorityLabels(members.map((start) => ({ stopStartMs: stop, label: (fused.get(start) as FusedSegment).sensorLabel }))).get(stop);
    const current = fusion.stopLabels.get(stop);
    if (majority?.label === current?.label && majority?.share === current?.share) continue;
    if (majority) fusion.stopLabels.set(stop, majority);
    else fusion.stopLabels.delete(stop);
    for (const start of members) machineDirty.add(start);
  }

  for (const start of machineDirty) {
    const f = fused.get(start) as FusedSegment;
    const stop = f.stopStartMs === null ? undefined : fusion.stopLabels.get(f.stopStartMs);
    const machine = machineSpan(f.segment, f, f.sensorLabel, stop);
    if (sameSpan(f.machine, machine)) continue;
    f.machine = machine;
    neighbourhoodDirty.add(start);
  }
  for (const start of fusion.changedReviews) if (fused.has(start)) neighbourhoodDirty.add(start);

  // Positions whose smoothed labels may have changed: two on each side of each change.
  const entryDirty = new Set<number>(relationDirty);
  for (const start of neighbourhoodDirty) {
    const at = lowerBound(order, start);
    if (order[at] !== start) continue;
    for (let i = Math.max(0, at - 2); i <= Math.min(order.length - 1, at + 2); i++) entryDirty.add(order[i] as number);
  }
  for (const start of entryDirty) {
    const f = fused.get(start);
    if (!f) continue;
    const machineFinal = smoothedAt(fusion, lowerBound(order, start), params, false);
    const { reason, wrongProbability } = segmentReviewCandidate(f.segment, machineFinal, params.review);
    if (sameCandidate(f.candidate, { reason, wrongProbability })) continue;
    f.candidate = { reason, wrongProbability };
    dirtyDays.add(localDay(start, timeZone));
  }

  for (const day of dirtyDays) {
    const from = lowerBound(order, localDayStartMs(day, timeZone));
    const to = lowerBound(order, localDayStartMs(day + 1, timeZone));
    const members = order.slice(from, to).map((start) => fused.get(start) as FusedSegment);
    // One participant-day: its budget is decided among its own segments, in time order.
    const flags = selectReviewFlags(
      members.map((f) => ({ ...(f.candidate as ReviewCandidate), participantDay: '' })),
      params.review,
    );
    members.forEach((f, i) => {
      if (f.flagged === flags[i]) return;
      f.flagged = flags[i] === true;
      entryDirty.add(f.segment.segment_start);
    });
  }

  const changed: number[] = [];
  for (const start of entryDirty) {
    const f = fused.get(start);
    if (!f) continue;
    const span = smoothedAt(fusion, lowerBound(order, start), params, true);
    const entry = timelineEntry(f.segment, span, f.flagged, f.candidate ?? undefined, f.episodeIds);
    fusion.entriesBuilt += 1;
    // An equal entry keeps its object: the emitted one is the same, not a copy.
    if (f.entry !== null && sameTimelineEntry(f.entry, entry)) continue;
    f.entry = entry;
    changed.push(start);
  }

  fusion.changedSegments.clear();
  fusion.removedSegments.clear();
  fusion.changedEpisodes.length = 0;
  fusion.changedReviews.clear();
  fusion.changedStops.clear();
  return changed.sort((a, b) => a - b);
}

/** The held segment's current entry (after {@link refreshFusion}), or undefined. */
export function fusedEntry(fusion: IncrementalFusion, segmentStart: number): ActivityTimelineRecord | undefined {
  return fusion.fused.get(segmentStart)?.entry ?? undefined;
}

/** The label at position `at` after smoothing, with the reviews (`reviewed`) or without. */
function smoothedAt(fusion: IncrementalFusion, at: number, params: TimelineFusionParams, reviewed: boolean): LabelledSpan {
  const span = (start: number): LabelledSpan => {
    const machine = (fusion.fused.get(start) as FusedSegment).machine as LabelledSpan;
    return reviewed ? reviewedSpan(machine, fusion.reviews.get(start)) : machine;
  };
  if (!params.smoothGlitches) return span(fusion.order[at] as number);
  const from = Math.max(0, at - 2);
  const window = fusion.order.slice(from, at + 3).map(span);
  return smoothedSpanAt(window, at - from);
}
