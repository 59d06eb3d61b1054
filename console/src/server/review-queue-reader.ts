/**
 * The warehouse side of the console's review queue, read as the researcher (read-only): a
 * participant-day's flagged segments (segments_needing_review, whose decision is the latest of
 * each segment) and the whole history of their decisions (review_decisions), and whether a segment
 * exists. Every value is a `$n` parameter; the statements are constants.
 */
import pg from 'pg';
import type { ReviewDecisionRow, ReviewQueueRow } from '../review/shape-review-queue.js';

// The local day [$2 00:00, $2 + 1 00:00) in the zone $3.
const DAY_WINDOW = `segment_start >= ($2::date::timestamp AT TIME ZONE $3::text) AND segment_start < (($2::date + 1)::timestamp AT TIME ZONE $3::text)`;

const QUEUE_SQL = `SELECT segment_start, segment_end, review_reason, review_wrong_probability, declared_label, predicted_label,
    confidence, probabilities, rule_applied, final_label, final_source
  FROM segments_needing_review
  WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}
  ORDER BY review_wrong_probability DESC NULLS LAST, segment_start`;

// The history on purpose: the page shows every decision of a segment, newest first.
const HISTORY_SQL = `SELECT segment_start, label, reviewer, comment, decided_at
  FROM review_decisions
  WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}
  ORDER BY segment_start, decided_at DESC`;

const SEGMENT_EXISTS_SQL = 'SELECT 1 FROM activity_segments WHERE participant_virtual_id = $1 AND segment_start = $2';

/** What the review routes need from the warehouse; tests give their own. */
export interface ReviewQueueStore {
  queue(participant: string, day: string): Promise<{ rows: ReviewQueueRow[]; decisions: ReviewDecisionRow[] }>;
  segmentExists(participant: string, segmentStartMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export class ReviewQueueReader implements ReviewQueueStore {
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly timeZone: string,
  ) {
    this.pool = new pg.Pool({ connectionString, max: 2, options: '-c default_transaction_read_only=on' });
  }

  async queue(participant: string, day: string): Promise<{ rows: ReviewQueueRow[]; decisions: ReviewDecisionRow[] }> {
    const values = [participant, day, this.timeZone];
    const [rows, decisions] = await Promise.all([this.pool.query<ReviewQueueRow>(QUEUE_SQL, values), this.pool.query<ReviewDecisionRow>(HISTORY_SQL, values)]);
    return { rows: rows.rows, decisions: decisions.rows };
  }

  async segmentExists(participant: string, segmentStartMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(SEGMENT_EXISTS_SQL, [participant, new Date(segmentStartMs)]);
    return (rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
