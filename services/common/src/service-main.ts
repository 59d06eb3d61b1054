/**
 * Starts a service: config, registry codec, stream runner, Fastify app, signal handling.
 * Each service's server.ts calls this with its name, port and handler factory.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { buildServiceApp } from './app.js';
import { AvroCodec } from './codec.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';
import { StreamRunner, type StreamHandler } from './stream-runner.js';
import { SERVICES, type ServiceName } from './topics.js';
import type { FastifyInstance } from 'fastify';
import type { Static, TObject, TProperties } from '@sinclair/typebox';

/** schemas/ at the repository root, seen from services/common/{src,dist}. */
export const DEFAULT_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');

export interface HandlerContext<S = Record<string, never>> {
  readonly config: ServiceConfig<S>;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

export interface ServiceDefinition<P extends TProperties = TProperties> {
  /** Its port and topics come from the registry ({@link SERVICES}). */
  readonly name: ServiceName;
  /** The service's own settings (a TypeBox object schema), read with the shared ones into `config.settings`. */
  readonly settings?: TObject<P>;
  createHandler(context: HandlerContext<Static<TObject<P>>>): StreamHandler | Promise<StreamHandler>;
  /** Extra routes (e.g. the review API) added before the app listens. */
  extendApp?(app: FastifyInstance, context: HandlerContext<Static<TObject<P>>> & { codec: AvroCodec; runner: StreamRunner }): void | Promise<void>;
}

/** Declares a service, its settings' types following from their schema. */
export function defineService<P extends TProperties>(definition: ServiceDefinition<P>): ServiceDefinition<P> {
  return definition;
}

/** The settings of a service as `loadServiceConfig` reads them for its definition. */
export function serviceConfig<P extends TProperties>(definition: ServiceDefinition<P>, env: NodeJS.ProcessEnv = process.env) {
  return loadServiceConfig(definition.name, SERVICES[definition.name].port, DEFAULT_SCHEMAS_DIR, env, definition.settings);
}

/** What the service's logger never writes: passwords and connection strings, wherever a log line carries them. */
export const LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  '*.password',
  '*.connectionString',
  'config.settings.WAREHOUSE_URL',
  'config.kafkaSasl.password',
  'config.schemaRegistryLogin.password',
]);

export interface RunningService {
  readonly app: FastifyInstance;
  readonly runner: StreamRunner;
  readonly config: ServiceConfig<unknown>;
  close(): Promise<void>;
}

export async function startService<P extends TProperties>(
  definition: ServiceDefinition<P>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  const config = serviceConfig(definition, env);
  const logger = pino({
    name: definition.name,
    level: config.logLevel,
    // One format for every service: JSON lines with ISO-8601 times (docs/design.md §7).
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: [...LOG_REDACT_PATHS],
  });
  const metrics = createServiceMetrics(definition.name);
  const context: HandlerContext<Static<TObject<P>>> = { config, logger, metrics };
  const handler = await definition.createHandler(context);
  const codec = new AvroCodec(config.schemaRegistryUrl, config.schemasDir, config.schemaRegistryLogin);
  await codec.registerOutputs(handler.outputs);
  const runner = new StreamRunner({
    service: definition.name,
    brokers: config.kafkaBrokers,
    sasl: config.kafkaSasl,
    groupId: config.groupId,
    idleTimeoutMs: config.idleTimeoutMs,
    handler,
    codec,
    metrics,
    logger,
  });
  const app = buildServiceApp({ name: definition.name, metrics, runner, codec, logger, maxBodyBytes: config.maxBodyBytes });
  await definition.extendApp?.(app, { ...context, codec, runner });
  await runner.start();
  await app.listen({ host: config.host, port: config.port });
  logger.info({ port: config.port, inputs: handler.inputs.map((t) => t.name), outputs: handler.outputs.map((t) => t.name) }, 'service started');
  return { app, runner, config, close: () => app.close() };
}

/** The body of every server.ts: start, and close cleanly on SIGTERM or SIGINT. */
export function runServiceProcess(definition: ServiceDefinition): void {
  startService(definition)
    .then((service) => {
      let closing = false;
      const shutdown = (signal: string) => {
        if (closing) return;
        closing = true;
        service.app.log.info({ signal }, 'shutting down');
        service
          .close()
          .then(() => process.exit(0))
          .catch((err) => {
            service.app.log.error({ err }, 'shutdown failed');
            process.exit(1);
          });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    })
    .catch((err) => {
      console.error(JSON.stringify({ level: 50, time: new Date().toISOString(), name: definition.name, msg: 'service failed to start', err: String(err?.stack ?? err) }));
      process.exit(1);
    });
}
