import { meanOfPresent } from '@polluscope/common/domain';
import { POLLUTANTS, type ActivityTimelineRecord, type SensorMinuteRecord } from '../records.js';

export interface MeasureTimelineParams {
  /** Length of the segments that minutes outside every entry are grouped into, ms (aligned on epoch multiples, as classification does). */
  readonly segmentMs: number;
}

export const defaultMeasureTimelineParams: MeasureTimelineParams = Object.freeze({ segmentMs: 300_000 });

/** Code-unit order, independent of the host's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entry whose [segment_start, segment_end) holds timeMs, in entries sorted by start; or undefined. */
function entryAt<E extends ActivityTimelineRecord>(sorted: readonly E[], timeMs: number): E | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = sorted[mid]!;
    if (timeMs < entry.segment_start) hi = mid - 1;
    else if (timeMs >= entry.segment_end) lo = mid + 1;
    else return entry;
  }
  return undefined;
}

/**
 * A timeline entry with nothing measured yet (no minutes, no means) and only its label: what
 * `measureTimeline` fills from the clean minutes.
 */
export function unmeasuredEntry(participant: string, startMs: number, endMs: number, label: string | null): ActivityTimelineRecord {
  const means = Object.fromEntries(POLLUTANTS.map((p) => [`${p}_mean`, null]));
  return {
    participant_virtual_id: participant,
    segment_start: startMs,
    segment_end: endMs,
    minutes: 0,
    final_label: label,
    label_group: null,
    source: 'sensors',
    confidence: null,
    declared_label: null,
    match: null,
    episode_ids: null,
    needs_review: false,
    review_reason: null,
    review_wrong_probability: null,
    ...means,
  } as ActivityTimelineRecord;
}

/**
 * Timeline entries measured from clean sensor minutes, for exposure from files
 * (`polluscope exposure`): each entry's `minutes` becomes the number of its participant's minutes
 * in [segment_start, segment_end) and each `<variable>_mean` the mean of their present values in
 * time order (meanOfPresent, as classification computes activity.segments), so the entries equal
 * those the stream fuses. A minute in no entry was measured but never labelled: it lands in an
 * entry without a final label on the segment grid (`unknown` in exposure). Repeated minutes count
 * once (the last one, as the warehouse's upsert keeps). Sorted by participant, then segment_start.
 *
 * @example measureTimeline([entry], minutes)[0].minutes // 5
 */
export function measureTimeline(
  entries: readonly ActivityTimelineRecord[],
  minutes: readonly SensorMinuteRecord[],
  params: MeasureTimelineParams = defaultMeasureTimelineParams,
): ActivityTimelineRecord[] {
  const byParticipant = new Map<string, ActivityTimelineRecord[]>();
  for (const entry of entries) {
    const list = byParticipant.get(entry.participant_virtual_id) ?? [];
    list.push(entry);
    byParticipant.set(entry.participant_virtual_id, list);
  }
  for (const list of byParticipant.values()) list.sort((a, b) => a.segment_start - b.segment_start);

  const unique = new Map<string, SensorMinuteRecord>();
  for (const minute of minutes) unique.set(JSON.stringify([minute.participant_virtual_id, minute.time]), minute);
  const inTimeOrder = [...unique.values()].sort((a, b) => a.time - b.time);

  const measured = new Map<ActivityTimelineRecord, SensorMinuteRecord[]>();
  const unlabelled = new Map<string, ActivityTimelineRecord>();
  for (const minute of inTimeOrder) {
    const participant = minute.participant_virtual_id;
    let entry = entryAt(byParticipant.get(participant) ?? [], minute.time);
    if (!entry) {
      const startMs = Math.floor(minute.time / params.segmentMs) * params.segmentMs;
      const key = JSON.stringify([participant, startMs]);
      entry = unlabelled.get(key) ?? unmeasuredEntry(participant, startMs, startMs + params.segmentMs, null);
      unlabelled.set(key, entry);
    }
    const list = measured.get(entry) ?? [];
    list.push(minute);
    measured.set(entry, list);
  }

  const all = [...[...byParticipant.values()].flat(), ...unlabelled.values()];
  return all
    .map((entry) => {
      const rows = measured.get(entry) ?? [];
      const means = Object.fromEntries(POLLUTANTS.map((p) => [`${p}_mean`, meanOfPresent(rows.map((r) => r[p]))]));
      return { ...entry, minutes: rows.length, ...means };
    })
    .sort((a, b) => compareText(a.participant_virtual_id, b.participant_virtual_id) || a.segment_start - b.segment_start);
}
