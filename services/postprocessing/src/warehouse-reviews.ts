/**
 * The warehouse side of human review (DESIGN.md §5.6): the list of segments that need review,
 * and, for a decision on a segment older than the stream state keeps, the corrected timeline and
 * exposure rows computed from what the warehouse holds. SQL is parameterised throughout.
 */
import pg from 'pg';
import { TOPICS, type OutputRecord } from '@polluscope/common';
import {
  applyReviewDecision,
  computeDailyExposure,
  localDay,
  localDayStartMs,
  POLLUTANTS,
  type ActivityTimelineRecord,
  type ReviewDecisionRecord,
} from './domain/index.js';

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

const TIMELINE_COLUMNS = [
  'participant_virtual_id',
  'segment_start',
  'segment_end',
  'final_label',
  'label_group',
  'source',
  'confidence',
  'declared_label',
  'match',
  'episode_ids',
  ...POLLUTANTS.map((p) => `${p}_mean`),
];

/*
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
  ORDER BY participant_virtual_id, segment_start LIMIT $5 OFFSET $6`;

export class WarehouseReviews {
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly timeZone: string,
  ) {
    this.pool = new pg.Pool({ connectionString, max: 3 });
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

  /** Corrected timeline rows and the re-computed exposure of their days, from the warehouse's rows. */
  async applyLateDecisions(decisions: readonly ReviewDecisionRecord[]): Promise<OutputRecord[]> {
    const outputs: OutputRecord[] = [];
    for (const decision of decisions) {
      const participant = decision.participant_virtual_id;
      const day = localDay(decision.segment_start, this.timeZone);
      const from = localDayStartMs(day, this.timeZone);
      const to = localDayStartMs(day + 1, this.timeZone);
      const { rows } = await this.pool.query(
        `SELECT ${TIMELINE_COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ')} FROM activity_timeline
          WHERE participant_virtual_id = $1 AND segment_start >= $2 AND segment_start < $3 ORDER BY segment_start`,
        [participant, new Date(from), new Date(to)],
      );
      const entries: ActivityTimelineRecord[] = rows.map((row) => ({
        ...row,
        segment_start: (row.segment_start as Date).getTime(),
        segment_end: (row.segment_end as Date).getTime(),
      }));
      const index = entries.findIndex((e) => e.segment_start === decision.segment_start);
      const target = entries[index];
      if (target === undefined) continue; // the segment never reached the timeline: nothing to correct
      const corrected = applyReviewDecision(target, decision);
      entries[index] = corrected;
      outputs.push({ topic: TOPICS.activityTimeline, key: participant, value: corrected });
      for (const value of computeDailyExposure(entries, { timeZone: this.timeZone })) {
        outputs.push({ topic: TOPICS.exposureDaily, key: participant, value });
      }
    }
    return outputs;
  }
}
