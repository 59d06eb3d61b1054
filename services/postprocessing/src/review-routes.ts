/**
 * The review API (docs/design.md §5.6): `GET /reviews` lists the segments the timeline flagged
 * within each participant-day's budget (view segments_needing_review), likeliest wrong first, each
 * with its `review_reason` and `review_wrong_probability`, paged and filterable by participant and
 * local day; `POST /reviews/:participant/:segmentStart` takes a
 * canonical label and produces the decision to review.decisions, from where the stream corrects
 * the timeline and the exposure and the sink stores it. Deciding needs a reviewer account (HTTP
 * Basic, reviewer-accounts.ts); the decision records that account, never a name from the body.
 */
import basicAuth from '@fastify/basic-auth';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eventTimeMs, TOPICS, type OutputRecord } from '@polluscope/common';
import { buildReviewDecision, MAX_REVIEW_COMMENT_CHARS, MAX_REVIEW_LABEL_CHARS, type ReviewDecisionRecord } from './domain/index.js';
import { checkReviewer, MAX_REVIEWER_NAME_CHARS, type ReviewerDirectory } from './reviewer-accounts.js';
import type { ReviewPage, ReviewQuery } from './warehouse-reviews.js';

export interface ReviewStore {
  list(query: ReviewQuery): Promise<ReviewPage>;
  segmentExists(participant: string, segmentStartMs: number): Promise<boolean>;
}

export interface ReviewRoutesOptions {
  readonly store: ReviewStore;
  /** Reviewer accounts, for HTTP Basic authentication of decisions. */
  readonly reviewers: ReviewerDirectory;
  readonly produce: (outputs: readonly OutputRecord[]) => Promise<void>;
  readonly now?: () => number;
}

const MAX_PAGE = 500;

class WrongCredentials extends Error {
  readonly statusCode = 401;
  constructor() {
    super('unknown reviewer or wrong password');
  }
}

/** The record to produce for a decision: review.decisions, keyed by the participant as every topic. */
export function reviewDecisionOutput(decision: ReviewDecisionRecord): OutputRecord {
  return { topic: TOPICS.reviewDecisions, key: decision.participant_virtual_id, value: decision };
}

/** A decision as the routes answer it: times in ISO-8601. */
export function decisionJson(decision: ReviewDecisionRecord) {
  return { ...decision, segment_start: new Date(decision.segment_start).toISOString(), decided_at: new Date(decision.decided_at).toISOString() };
}

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

  // Deciding is for reviewer accounts: an encapsulated scope, so GET /reviews stays open.
  const reviewerOf = new WeakMap<FastifyRequest, string>();
  app.register(async (scope) => {
    await scope.register(basicAuth, {
      authenticate: { realm: 'polluscope-review' },
      validate: async (name, password, request) => {
        if (!(await checkReviewer(options.reviewers, name, password))) throw new WrongCredentials();
        reviewerOf.set(request, name);
      },
    });
    // onRequest: credentials are checked before the body is read.
    scope.addHook('onRequest', scope.basicAuth);

    scope.post<{ Params: { participant: string; segmentStart: string }; Body: { label: unknown; reviewer?: string; comment?: string } }>(
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
              label: { type: 'string', maxLength: MAX_REVIEW_LABEL_CHARS },
              // Kept for clients that sent it: it must then name the account that logged in.
              reviewer: { type: 'string', maxLength: MAX_REVIEWER_NAME_CHARS },
              comment: { type: 'string', maxLength: MAX_REVIEW_COMMENT_CHARS },
            },
          },
        },
      },
      async (request, reply) => {
        const { participant, segmentStart } = request.params;
        const reviewer = reviewerOf.get(request) as string;
        if (request.body.reviewer !== undefined && request.body.reviewer !== reviewer) {
          return reply.code(400).send({
            error: 'Bad Request',
            message: `body parameter "reviewer": decisions are recorded under the account that logged in (${reviewer}); leave "reviewer" out`,
          });
        }
        const startMs = parseSegmentStart(segmentStart);
        if (startMs === null) {
          return reply.code(400).send({ error: 'Bad Request', message: `segmentStart: not a time (ISO-8601 or epoch ms): "${segmentStart}"` });
        }
        const built = buildReviewDecision({ participant, segmentStartMs: startMs, label: request.body.label, reviewer, comment: request.body.comment, decidedAtMs: now() });
        if (!built.ok) return reply.code(400).send({ error: 'Bad Request', message: `${built.parameter}: ${built.reason}` });
        if (!(await options.store.segmentExists(participant, startMs))) {
          return reply.code(404).send({ error: 'Not Found', message: `no segment of ${participant} starts at ${new Date(startMs).toISOString()}` });
        }
        await options.produce([reviewDecisionOutput(built.decision)]);
        return reply.code(202).send({ decision: decisionJson(built.decision) });
      },
    );
  });
}
