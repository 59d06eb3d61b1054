/**
 * Starts the console: loads the settings, builds the app around the warehouse, listens, and
 * closes on SIGINT/SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { WarehouseReviewers } from '@polluscope/postprocessing';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import pg from 'pg';
import { buildConsoleApp } from './app.js';
import { loadConsoleConfig, type ConsoleConfig } from './config.js';
import { KafkaDecisionSink } from './decision-producer.js';
import { ReviewQueueReader } from './review-queue-reader.js';
import { reviewRoutes } from './review-routes.js';
import { WarehouseReader } from './warehouse-reader.js';

/** Vite's output, next to the compiled server (console/dist/public). */
export const PAGES_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * The review queue and reviewers' login when REVIEW_WAREHOUSE_URL is set: the queue read as the
 * researcher, accounts checked through the reviewers login, decisions produced to Kafka.
 */
export function reviewPlugins(config: ConsoleConfig): FastifyPluginAsync[] {
  const review = config.review;
  if (review === null) return [];
  return [
    async (app) => {
      const accounts = new pg.Pool({ connectionString: review.reviewersWarehouseUrl, max: 2 });
      const queue = new ReviewQueueReader(config.warehouseUrl, config.timeZone);
      const decisions = new KafkaDecisionSink(review.kafkaBrokers, review.schemaRegistryUrl, review.schemaRegistryLogin);
      app.addHook('onClose', async () => {
        await Promise.allSettled([accounts.end(), queue.close(), decisions.close()]);
      });
      await app.register(
        reviewRoutes({
          reviewers: new WarehouseReviewers(accounts),
          queue,
          decisions,
          timeZone: config.timeZone,
          sessionKey: review.sessionKey,
          sessionTtlS: review.sessionTtlS,
          loginAttemptsPerMinute: review.loginAttemptsPerMinute,
        }),
      );
    },
  ];
}

export async function startConsole(config: ConsoleConfig = loadConsoleConfig()): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildConsoleApp({
    warehouse: new WarehouseReader(config.warehouseUrl, config.timeZone),
    timeZone: config.timeZone,
    tileUrl: config.tileUrl,
    pagesDir: PAGES_DIR,
    logLevel: config.logLevel,
    plugins: reviewPlugins(config),
  });
  const address = await app.listen({ host: config.host, port: config.port });
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  return { app, url: address };
}
