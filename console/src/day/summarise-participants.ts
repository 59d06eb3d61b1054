import type { ParticipantSummary } from './types.js';

/** One row of the overview query: a participant's local day (every count may be missing). */
export interface ParticipantDayRow {
  readonly participant: string;
  /** YYYY-MM-DD */
  readonly day: string;
  readonly measured_minutes: number | null;
  readonly imputed_minutes: number | null;
  readonly flagged_minutes: number | null;
  readonly segments: number | null;
  readonly needs_review_segments: number | null;
  readonly gps_fixes: number | null;
  readonly day_length_minutes: number;
}

/**
 * Groups the overview rows by participant (participants and days in order), with each day's
 * coverage: measured minutes of the day's length.
 */
export function summariseParticipants(rows: readonly ParticipantDayRow[]): ParticipantSummary[] {
  const byParticipant = new Map<string, ParticipantDayRow[]>();
  for (const row of rows) {
    const days = byParticipant.get(row.participant) ?? [];
    days.push(row);
    byParticipant.set(row.participant, days);
  }
  return [...byParticipant.keys()].sort().map((participant) => ({
    participant,
    days: (byParticipant.get(participant) ?? [])
      .slice()
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((row) => {
        const measuredMinutes = row.measured_minutes ?? 0;
        return {
          day: row.day,
          measuredMinutes,
          dayLengthMinutes: row.day_length_minutes,
          coverage: row.day_length_minutes > 0 ? measuredMinutes / row.day_length_minutes : 0,
          imputedMinutes: row.imputed_minutes ?? 0,
          flaggedMinutes: row.flagged_minutes ?? 0,
          segments: row.segments ?? 0,
          needsReviewSegments: row.needs_review_segments ?? 0,
          gpsFixes: row.gps_fixes ?? 0,
        };
      }),
  }));
}
