/**
 * The warehouse side of human review (docs/design.md §5.6): the list of segments that need review,
 * and, for a decision on a segment older than the stream state keeps, the corrected timeline and
 * exposure rows computed from what the warehouse holds. SQL is parameterised throughout.
 */
import pg from 'pg';
import { TOPICS, type OutputRecord } from '@polluscope/common';
import { WarehouseReviewers } from './reviewer-accounts.js';
import { localDay, localDayStartMs, reviseReviewedDay, type ActivityTimelineRecord, type ReviewDecisionRecord } from './domain/index.js';

export interface ReviewQuery {
  readonly participant?: string;
  /** Local day YYYY-MM-DD in the review time zone. */
  readonly day?: string;
  readonly pending: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface ReviewPage {
  readonly items: readonly Record<string, unknown>[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/*
 * A stored day of the timeline. `minutes` was added to activity_timeline later: a row written
 * before has none, so it takes its segment's measured minutes, or, without a segment row, its length.
 */
const READ_TIMELINE_DAY_SQL = `SELECT t.participant_virtual_id, t.segment_start, t.segment_end,
    COALESCE(t.minutes, s.minutes, extract(epoch FROM t.segment_end - t.segment_start) / 60)::double precision AS minutes,
    t.final_label, t.label_group, t.source, t.confidence, t.declared_label, t.match, t.episode_ids,
    t.needs_review, t.review_reason, t.review_wrong_probability,
    t.pm1_mean, t.pm25_mean, t.pm10_mean, t.no2_mean, t.bc_mean, t.temperature_mean, t.humidity_mean
  FROM activity_timeline t
  LEFT JOIN activity_segments s ON s.participant_virtual_id = t.participant_virtual_id AND s.segment_start = t.segment_start
  WHERE t.participant_virtual_id = $1 AND t.segment_start >= $2 AND t.segment_start < $3
  ORDER BY t.segment_start`;
// The current decision per segment: review_decisions keeps every decision, the latest counts.
const READ_DECISIONS_DAY_SQL = `SELECT participant_virtual_id, segment_start, label, reviewer, comment, decided_at FROM review_decisions_latest
  WHERE participant_virtual_id = $1 AND segment_start >= $2 AND segment_start < $3`;

const ms = (value: unknown): number => (value as Date).getTime();

/*
 * Likeliest wrong first (docs/design.md §5.2), then by participant and time so pages are stable.
 * One statement for every combination of filters, so no SQL is assembled from fragments: a null
 * $1 (participant) or $2 (local day) switches its condition off; $4 keeps only pending segments.
 */
const COUNT_REVIEWS_SQL = `SELECT count(*) AS n FROM segments_needing_review
  WHERE ($1::text IS NULL OR participant_virtual_id = $1::text)
    AND ($2::date IS NULL OR (segment_start AT TIME ZONE $3::text)::date = $2::date)
    AND (NOT $4::boolean OR NOT reviewed)`;
const PAGE_REVIEWS_SQL = `SELECT * FROM segments_needing_review
  WHERE ($1::text IS NULL OR participant_virtual_id = $1::text)
    AND ($2::date IS NULL OR (segment_start AT TIME ZONE $3::text)::date = $2::date)
    AND (NOT $4::boolean OR NOT reviewed)
  ORDER BY review_wrong_probability DESC NULLS LAST, participant_virtual_id, segment_start LIMIT $5 OFFSET $6`;

export class WarehouseReviews {
  private readonly pool: pg.Pool;
  /** The reviewer accounts, on the same pool. */
  readonly reviewers: WarehouseReviewers;

  constructor(
    connectionString: string,
    private readonly timeZone: string,
  ) {
    this.pool = new pg.Pool({ connectionString, max: 3 });
    this.reviewers = new WarehouseReviewers(this.pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async list(query: ReviewQuery): Promise<ReviewPage> {
    const values = [query.participant ?? null, query.day ?? null, this.timeZone, query.pending];
    const total = await this.pool.query<{ n: string }>(COUNT_REVIEWS_SQL, values);
    const page = await this.pool.query(PAGE_REVIEWS_SQL, [...values, query.limit, query.offset]);
    return { items: page.rows, total: Number(total.rows[0]?.n ?? 0), limit: query.limit, offset: query.offset };
  }

  async segmentExists(participant: string, segmentStartMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM activity_segments WHERE participant_virtual_id = $1 AND segment_start = $2', [
      participant,
      new Date(segmentStartMs),
    ]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Corrected timeline rows and the recomputed exposure of their days, from the warehouse's rows:
   * per participant-day, the stored entries with every decision of the day applied (those already
   * stored, so that one whose correction the sink has not yet written is not undone, and the new
   * ones), then the day's complete exposure (reviseReviewedDay).
   */
  async applyLateDecisions(decisions: readonly ReviewDecisionRecord[]): Promise<OutputRecord[]> {
    const days = new Map<string, { participant: string; day: number; decisions: ReviewDecisionRecord[] }>();
    for (const decision of decisions) {
      const day = localDay(decision.segment_start, this.timeZone);
      const key = JSON.stringify([decision.participant_virtual_id, day]);
      const group = days.get(key) ?? { participant: decision.participant_virtual_id, day, decisions: [] };
      group.decisions.push(decision);
      days.set(key, group);
    }
    const outputs: OutputRecord[] = [];
    for (const { participant, day, decisions: fresh } of days.values()) {
      const range = [participant, new Date(localDayStartMs(day, this.timeZone)), new Date(localDayStartMs(day + 1, this.timeZone))];
      const timeline = await this.pool.query(READ_TIMELINE_DAY_SQL, range);
      const entries: ActivityTimelineRecord[] = timeline.rows.map((row) => ({ ...row, segment_start: ms(row.segment_start), segment_end: ms(row.segment_end) }));
      const decided = new Set(fresh.map((d) => d.segment_start));
      if (!entries.some((e) => decided.has(e.segment_start))) continue; // the segments never reached the timeline: nothing to correct
      const stored = await this.pool.query(READ_DECISIONS_DAY_SQL, range);
      const storedDecisions: ReviewDecisionRecord[] = stored.rows.map((row) => ({ ...row, segment_start: ms(row.segment_start), decided_at: ms(row.decided_at) }));
      const revised = reviseReviewedDay(entries, [...storedDecisions, ...fresh], { timeZone: this.timeZone });
      for (const value of revised.timeline) outputs.push({ topic: TOPICS.activityTimeline, key: participant, value });
      for (const value of revised.exposure) outputs.push({ topic: TOPICS.exposureDaily, key: participant, value });
    }
    return outputs;
  }
}
