/**
 * The Fastify app every service builds (docs/design.md §2): `GET /` greets, `GET /health` reports
 * liveness and readiness (consumer joined, registry reachable, no transient error that keeps
 * failing; the reason when not ready; lag from the broker's offsets), `GET /metrics` exposes
 * Prometheus text. Shutdown follows Fastify's order: stop taking records, then close clients.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AvroCodec } from './codec.js';
import type { ServiceMetrics } from './metrics.js';
import type { RunnerHealth, StreamRunner } from './stream-runner.js';
import { validationMessage } from './validation-message.js';

export interface ServiceAppOptions {
  readonly name: string;
  readonly metrics: ServiceMetrics;
  /** Absent in tests of the HTTP routes alone. */
  readonly runner?: Pick<StreamRunner, 'health' | 'stop'>;
  readonly codec?: Pick<AvroCodec, 'reachable'>;
  /** The service's pino logger; Fastify logs through it. */
  readonly logger?: FastifyBaseLogger;
  /** Largest request body accepted, bytes; larger ones get 413. DEFAULT_MAX_BODY_BYTES when absent. */
  readonly maxBodyBytes?: number;
}

/** The largest route body is a review decision (a label and a comment of at most 2,000 characters). */
export const DEFAULT_MAX_BODY_BYTES = 16_384;

export interface HealthReport {
  readonly service: string;
  readonly live: true;
  readonly ready: boolean;
  readonly consumer: RunnerHealth | null;
  readonly registryReachable: boolean | null;
  readonly lag: number | null;
  /** Why the service is not ready; null when it is. */
  readonly reason: string | null;
}

/** Why a service is not ready, or null: the consumer's own reason first, then the registry, then the group. */
export function notReadyReason(consumer: RunnerHealth | null, registryReachable: boolean | null): string | null {
  if (consumer === null) return 'no consumer';
  if (consumer.reason !== null) return consumer.reason;
  if (registryReachable === false) return 'schema registry unreachable';
  if (!consumer.joined) return 'consumer not in its group yet';
  return null;
}

const REGISTRY_CHECK_TTL_MS = 5_000;

export function buildServiceApp(options: ServiceAppOptions): FastifyInstance {
  const app: FastifyInstance = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Probes and scrapes would drown the request log.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify's own default is 1 MiB; no route here needs more than a few kilobytes.
    bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    // Refuse unknown parameters instead of dropping them silently: a misspelt filter would
    // otherwise answer the unfiltered list. Every route's schema sets additionalProperties.
    ajv: { customOptions: { removeAdditional: false } },
    schemaErrorFormatter: (problems, part) => new Error(validationMessage(problems, part)),
  });
  let registryCheck: { at: number; reachable: boolean } | null = null;
  const registryReachable = async (): Promise<boolean | null> => {
    if (!options.codec) return null;
    if (registryCheck && Date.now() - registryCheck.at < REGISTRY_CHECK_TTL_MS) return registryCheck.reachable;
    registryCheck = { at: Date.now(), reachable: await options.codec.reachable() };
    return registryCheck.reachable;
  };

  // Request logging is off, so failures are logged here.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if ((error.statusCode ?? 500) >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.send(error);
  });

  // These routes take no parameters: any is a mistake the caller should hear about.
  const noParameters = { schema: { querystring: { type: 'object', additionalProperties: false } } } as const;

  app.get('/', noParameters, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(`hello, ${options.name}`));

  app.get('/health', noParameters, async (_request, reply) => {
    const consumer = options.runner?.health() ?? null;
    const reachable = await registryReachable();
    const reason = notReadyReason(consumer, reachable);
    const ready = reason === null && reachable === true;
    const report: HealthReport = { service: options.name, live: true, ready, consumer, registryReachable: reachable, lag: consumer?.lag ?? null, reason };
    return reply.code(ready ? 200 : 503).send(report);
  });

  app.get('/metrics', noParameters, async (_request, reply) =>
    reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
  );

  app.addHook('preClose', async () => {
    // Finish the batch under way, commit and leave the group before the server goes.
    await options.runner?.stop();
  });
  return app;
}

const MUTATING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The routes of a ready app that change something (POST, PUT, PATCH, DELETE), for tests that
 * check every one of them asks for credentials. Read from Fastify's route tree, so routes added
 * before or after any hook are all there.
 */
export function mutatingRoutes(app: FastifyInstance): { method: (typeof MUTATING_METHODS)[number]; url: string }[] {
  const routes: { method: (typeof MUTATING_METHODS)[number]; url: string }[] = [];
  for (const method of MUTATING_METHODS) {
    for (const match of app.printRoutes({ method, commonPrefix: false }).matchAll(/[├└]── (\S+) \(/g)) routes.push({ method, url: match[1] ?? '' });
  }
  return routes;
}
