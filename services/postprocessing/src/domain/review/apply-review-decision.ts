import { labelGroup, normaliseLabel } from '@polluscope/common/domain';
import type { ActivityTimelineRecord, ReviewDecisionRecord } from '../records.js';

/**
 * Applies a review decision to an already stored timeline entry (for decisions about segments the
 * streaming state has forgotten, e.g. read back from the warehouse): final label and group from
 * the decision, source `review`, confidence 1, `match` against the declaration. Returns the entry
 * unchanged when the decision is for another segment or its label is not canonical. Unlike
 * {@link fuseTimeline}, the neighbours' glitch smoothing is not revisited.
 *
 * @example applyReviewDecision(entry, { ...decision, label: 'Rue' }).final_label // 'Walk'
 */
export function applyReviewDecision(entry: ActivityTimelineRecord, decision: ReviewDecisionRecord): ActivityTimelineRecord {
  const label = normaliseLabel(decision.label);
  if (label === null || decision.participant_virtual_id !== entry.participant_virtual_id || decision.segment_start !== entry.segment_start) {
    return entry;
  }
  return {
    ...entry,
    final_label: label,
    label_group: labelGroup(label),
    source: 'review',
    confidence: 1,
    match: entry.declared_label === null ? null : entry.declared_label === label,
  };
}
