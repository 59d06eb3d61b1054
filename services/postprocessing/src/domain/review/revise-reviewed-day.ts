import { computeDailyExposure, defaultDailyExposureParams, type DailyExposureParams } from '../exposure/daily-exposure.js';
import type { ActivityTimelineRecord, ExposureDailyRecord, ReviewDecisionRecord } from '../records.js';
import { applyReviewDecision } from './apply-review-decision.js';

export interface RevisedDay {
  /** Entries a decision applies to, corrected, ascending by segment_start. */
  readonly timeline: ActivityTimelineRecord[];
  /** The complete exposure of the day (see computeDailyExposure), from the corrected entries. */
  readonly exposure: ExposureDailyRecord[];
}

/**
 * Applies review decisions to one participant-day of stored timeline entries (the late-review
 * path: the stream state no longer holds the day) and recomputes the day's exposure from all its
 * entries with {@link computeDailyExposure}, the function the stream uses: every micro-environment
 * gets its row, so one the review emptied is overwritten with 0 minutes instead of going stale.
 * Per segment the latest decision wins (greatest decided_at; on a tie the later one in
 * `decisions`), as in the stream. `entries` must be the whole day, or the exposure is the part's.
 *
 * @example reviseReviewedDay(dayEntries, [decision]).exposure.find((r) => r.micro_environment === 'Bus')?.minutes // 0
 */
export function reviseReviewedDay(
  entries: readonly ActivityTimelineRecord[],
  decisions: readonly ReviewDecisionRecord[],
  params: DailyExposureParams = defaultDailyExposureParams,
): RevisedDay {
  const latest = new Map<string, ReviewDecisionRecord>();
  for (const decision of decisions) {
    const key = JSON.stringify([decision.participant_virtual_id, decision.segment_start]);
    const current = latest.get(key);
    if (!current || decision.decided_at >= current.decided_at) latest.set(key, decision);
  }
  const timeline: ActivityTimelineRecord[] = [];
  const revised = entries.map((entry) => {
    const decision = latest.get(JSON.stringify([entry.participant_virtual_id, entry.segment_start]));
    if (!decision) return entry;
    const corrected = applyReviewDecision(entry, decision);
    timeline.push(corrected);
    return corrected;
  });
  timeline.sort((a, b) => a.segment_start - b.segment_start);
  return { timeline, exposure: computeDailyExposure(revised, params) };
}
