/**
 * The review API (DESIGN.md §5.6): `GET /reviews` lists the segments the timeline flagged within
 * each participant-day's budget (view segments_needing_review), likeliest wrong first, each with
 * its `review_reason` and `review_wrong_probability`, paged and filterable by participant and local day; `POST /reviews/:participant/:segmentStart` takes a
 * canonical label and produces the decision to review.decisions, from where the stream corrects
 * the timeline and the exposure and the sink stores it.
 */
import type { FastifyInstance } from 'fastify';
import { eventTimeMs, TOPICS, type OutputRecord } from '@polluscope/common';
import { validateReviewLabel, type ReviewDecisionRecord } from './domain/index.js';
import type { ReviewPage, ReviewQuery } from './warehouse-reviews.js';

export interface ReviewStore {
  list(query: ReviewQuery): Promise<ReviewPage>;
  segmentExists(participant: string, segmentStartMs: number): Promise<boolean>;
}

export interface ReviewRoutesOptions {
  readonly store: ReviewStore;
  readonly produce: (outputs: readonly OutputRecord[]) => Promise<void>;
  readonly now?: () => number;
}

const MAX_PAGE = 500;

/** A segment start in a URL: ISO-8601 with an offset, or epoch milliseconds. */
export function parseSegmentStart(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  return eventTimeMs(text);
}

export function registerReviewRoutes(app: FastifyInstance, options: ReviewRoutesOptions): void {
  const now = options.now ?? Date.now;

  app.get<{ Querystring: { participant?: string; day?: string; pending?: boolean; limit: number; offset: number } }>(
    '/reviews',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            participant: { type: 'string', minLength: 1, maxLength: 200 },
            // A calendar date (format "date" checks month and day too, so 2026-13-45 is refused here
            // instead of reaching PostgreSQL).
            day: { type: 'string', format: 'date' },
            pending: { type: 'boolean', default: true },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1, default: 0 },
          },
        },
      },
    },
    async (request) => {
      const { participant, day, pending, limit, offset } = request.query;
      return options.store.list({ participant, day, pending: pending ?? true, limit, offset });
    },
  );

  app.post<{ Params: { participant: string; segmentStart: string }; Body: { label: unknown; reviewer?: string; comment?: string } }>(
    '/reviews/:participant/:segmentStart',
    {
      schema: {
        params: {
          type: 'object',
          required: ['participant', 'segmentStart'],
          additionalProperties: false,
          properties: {
            participant: { type: 'string', minLength: 1, maxLength: 200 },
            // ISO-8601 with an offset, or epoch milliseconds.
            segmentStart: { type: 'string', anyOf: [{ pattern: '^\\d{1,15}$' }, { format: 'date-time' }] },
          },
        },
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: {
            label: { type: 'string' },
            reviewer: { type: 'string', maxLength: 200 },
            comment: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
    async (request, reply) => {
      const { participant, segmentStart } = request.params;
      const startMs = parseSegmentStart(segmentStart);
      if (startMs === null) {
        return reply.code(400).send({ error: 'Bad Request', message: `segmentStart: not a time (ISO-8601 or epoch ms): "${segmentStart}"` });
      }
      const label = validateReviewLabel(request.body.label);
      if (!label.ok) return reply.code(400).send({ error: 'Bad Request', message: `label: ${label.reason}` });
      if (!(await options.store.segmentExists(participant, startMs))) {
        return reply.code(404).send({ error: 'Not Found', message: `no segment of ${participant} starts at ${new Date(startMs).toISOString()}` });
      }
      const decision: ReviewDecisionRecord = {
        participant_virtual_id: participant,
        segment_start: startMs,
        label: label.label,
        reviewer: request.body.reviewer ?? null,
        comment: request.body.comment ?? null,
        decided_at: now(),
      };
      await options.produce([{ topic: TOPICS.reviewDecisions, key: participant, value: decision }]);
      return reply.code(202).send({ decision: { ...decision, segment_start: new Date(startMs).toISOString(), decided_at: new Date(decision.decided_at).toISOString() } });
    },
  );
}
