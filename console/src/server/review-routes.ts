/**
 * Reviewers in the console (docs/design.md §5.6): login with a reviewer account (the `reviewers`
 * table, checked by postprocessing's checkReviewer), a session in a sealed, HTTP-only,
 * SameSite=Strict, Secure cookie (@fastify/secure-session), a CSRF token on every mutating route
 * (@fastify/csrf-protection, header `csrf-token`), a rate limit on login (@fastify/rate-limit), the
 * review queue of a participant-day, and decisions produced to review.decisions with the record
 * postprocessing builds (buildReviewDecision). The reviewer recorded is the session's, never a
 * name from a request. An encapsulated plugin: the researchers' pages and API stay open.
 */
import { randomUUID } from 'node:crypto';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import { checkReviewer, decisionJson, MAX_PASSWORD_CHARS, MAX_REVIEWER_NAME_CHARS, parseSegmentStart, type ReviewerDirectory } from '@polluscope/postprocessing';
import { buildReviewDecision, MAX_REVIEW_COMMENT_CHARS, MAX_REVIEW_LABEL_CHARS } from '@polluscope/postprocessing/domain';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { shapeReviewQueue } from '../review/shape-review-queue.js';
import type { ReviewQueue, ReviewSession } from '../review/types.js';
import { undoComment } from '../review/undo-entry.js';
import type { DecisionSink } from './decision-producer.js';
import type { ReviewQueueStore } from './review-queue-reader.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The reviewer account that logged in. */
    reviewer: string;
    /** This login's id, refused after logout even if a copy of the cookie is replayed. */
    sid: string;
  }
}

export interface ReviewRoutesOptions {
  readonly reviewers: ReviewerDirectory;
  readonly queue: ReviewQueueStore;
  readonly decisions: DecisionSink;
  readonly timeZone: string;
  /** 32 bytes sealing the session cookie. */
  readonly sessionKey: Buffer;
  readonly sessionTtlS: number;
  readonly loginAttemptsPerMinute: number;
  readonly now?: () => number;
}

export const SESSION_COOKIE = 'polluscope-review';
export const CSRF_HEADER = 'csrf-token';

const PARTICIPANT = { type: 'string', minLength: 1, maxLength: 200 } as const;
const SEGMENT_PARAMS = {
  type: 'object',
  required: ['participant', 'segmentStart'],
  additionalProperties: false,
  // ISO-8601 with an offset, or epoch milliseconds, as postprocessing's route.
  properties: { participant: PARTICIPANT, segmentStart: { type: 'string', anyOf: [{ pattern: '^\\d{1,15}$' }, { format: 'date-time' }] } },
} as const;
const LABEL = { type: 'string', maxLength: MAX_REVIEW_LABEL_CHARS } as const;

type SegmentParams = { participant: string; segmentStart: string };

export function reviewRoutes(options: ReviewRoutesOptions): FastifyPluginAsync {
  const now = options.now ?? Date.now;
  /** Logged-out sessions by id, until their cookie would have expired anyway. */
  const loggedOut = new Map<string, number>();
  /** decided_at strictly increases: two decisions of one segment never share the history's key. */
  let lastDecidedAtMs = -Infinity;
  const nextDecidedAtMs = (after = -Infinity) => (lastDecidedAtMs = Math.max(now(), lastDecidedAtMs + 1, after + 1));

  return async (app) => {
    await app.register(fastifySecureSession, {
      key: options.sessionKey,
      cookieName: SESSION_COOKIE,
      expiry: options.sessionTtlS,
      cookie: { path: '/', httpOnly: true, secure: true, sameSite: 'strict', maxAge: options.sessionTtlS },
    });
    await app.register(fastifyCsrf, { sessionPlugin: '@fastify/secure-session', getToken: (request) => request.headers[CSRF_HEADER] as string | undefined });
    await app.register(fastifyRateLimit, { global: false });

    const reviewerOf = (request: FastifyRequest): string | null => {
      const reviewer = request.session.get('reviewer');
      const sid = request.session.get('sid');
      if (typeof reviewer !== 'string' || typeof sid !== 'string' || loggedOut.has(sid)) return null;
      return reviewer;
    };
    const requireReviewer: onRequestHookHandler = async (request, reply) => {
      // Returning the reply ends the request here: the next hooks and the handler do not run.
      if (reviewerOf(request) === null) return reply.code(401).send({ error: 'Unauthorized', message: 'log in as a reviewer first' });
    };
    // Who first, then the token: an anonymous request learns it must log in.
    const mutating = { onRequest: [requireReviewer, app.csrfProtection] };
    const session = async (request: FastifyRequest, reply: FastifyReply): Promise<ReviewSession> => ({ reviewer: reviewerOf(request), csrfToken: await reply.generateCsrf() });

    app.get('/api/session', async (request, reply) => session(request, reply));

    app.post<{ Body: { name: string; password: string } }>(
      '/api/login',
      {
        onRequest: app.csrfProtection,
        config: { rateLimit: { max: options.loginAttemptsPerMinute, timeWindow: 60_000 } },
        schema: {
          body: {
            type: 'object',
            required: ['name', 'password'],
            additionalProperties: false,
            properties: { name: { type: 'string', maxLength: MAX_REVIEWER_NAME_CHARS }, password: { type: 'string', maxLength: MAX_PASSWORD_CHARS } },
          },
        },
      },
      async (request, reply) => {
        const { name, password } = request.body;
        if (!(await checkReviewer(options.reviewers, name, password))) {
          return reply.code(401).send({ error: 'Unauthorized', message: 'unknown reviewer or wrong password' });
        }
        // A new session (and CSRF secret) at login: nothing of the anonymous one carries over.
        request.session.regenerate();
        request.session.touch();
        request.session.set('reviewer', name);
        request.session.set('sid', randomUUID());
        request.log.info({ reviewer: name }, 'reviewer logged in');
        return session(request, reply);
      },
    );

    app.post('/api/logout', { onRequest: app.csrfProtection }, async (request, reply) => {
      const sid = request.session.get('sid');
      const t = now();
      for (const [id, until] of loggedOut) if (until <= t) loggedOut.delete(id);
      if (typeof sid === 'string') loggedOut.set(sid, t + options.sessionTtlS * 1000);
      request.session.delete();
      return reply.send({ reviewer: null });
    });

    app.get<{ Params: { participant: string; day: string } }>(
      '/api/participants/:participant/days/:day/reviews',
      {
        onRequest: requireReviewer,
        schema: { params: { type: 'object', required: ['participant', 'day'], additionalProperties: false, properties: { participant: PARTICIPANT, day: { type: 'string', format: 'date' } } } },
      },
      async (request): Promise<ReviewQueue> => {
        const { participant, day } = request.params;
        const { rows, decisions } = await options.queue.queue(participant, day);
        return { participant, day, timeZone: options.timeZone, labels: CANONICAL_LABELS, items: shapeReviewQueue(rows, decisions) };
      },
    );

    /** Builds, checks and produces a decision of the session's reviewer; answers 202 with it. */
    const decide = async (request: FastifyRequest<{ Params: SegmentParams }>, reply: FastifyReply, label: unknown, comment: string | null, after?: number) => {
      const { participant, segmentStart } = request.params;
      const startMs = parseSegmentStart(segmentStart);
      if (startMs === null) return reply.code(400).send({ error: 'Bad Request', message: `segmentStart: not a time (ISO-8601 or epoch ms): "${segmentStart}"` });
      const reviewer = reviewerOf(request)!;
      const built = buildReviewDecision({ participant, segmentStartMs: startMs, label, reviewer, comment, decidedAtMs: nextDecidedAtMs(after) });
      if (!built.ok) return reply.code(400).send({ error: 'Bad Request', message: `${built.parameter}: ${built.reason}` });
      if (!(await options.queue.segmentExists(participant, startMs))) {
        return reply.code(404).send({ error: 'Not Found', message: `no segment of ${participant} starts at ${new Date(startMs).toISOString()}` });
      }
      try {
        await options.decisions.produce(built.decision);
      } catch (err) {
        request.log.error({ err }, 'review decision not produced');
        return reply.code(503).send({ error: 'Service Unavailable', message: `the decision could not be sent to Kafka: ${(err as Error).message}` });
      }
      request.log.info({ reviewer, participant, segmentStart: startMs, label: built.decision.label }, 'review decided');
      return reply.code(202).send({ decision: decisionJson(built.decision) });
    };

    app.post<{ Params: SegmentParams; Body: { label: string; comment?: string } }>(
      '/api/reviews/:participant/:segmentStart',
      {
        ...mutating,
        schema: {
          params: SEGMENT_PARAMS,
          body: { type: 'object', required: ['label'], additionalProperties: false, properties: { label: LABEL, comment: { type: 'string', maxLength: MAX_REVIEW_COMMENT_CHARS } } },
        },
      },
      async (request, reply) => decide(request, reply, request.body.label, request.body.comment ?? null),
    );

    // Undo is a decision too: the label before the undone one, later than it, saying what it undid.
    app.post<{ Params: SegmentParams; Body: { label: string; undoes: { label: string; decidedAt: string } } }>(
      '/api/reviews/:participant/:segmentStart/undo',
      {
        ...mutating,
        schema: {
          params: SEGMENT_PARAMS,
          body: {
            type: 'object',
            required: ['label', 'undoes'],
            additionalProperties: false,
            properties: {
              label: LABEL,
              undoes: { type: 'object', required: ['label', 'decidedAt'], additionalProperties: false, properties: { label: LABEL, decidedAt: { type: 'string', format: 'date-time' } } },
            },
          },
        },
      },
      async (request, reply) => {
        const { label, undoes } = request.body;
        return decide(request, reply, label, undoComment(undoes, label), Date.parse(undoes.decidedAt));
      },
    );
  };
}
