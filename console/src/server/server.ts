/**
 * Starts the console: loads the settings, builds the app around the warehouse, listens, and
 * closes on SIGINT/SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildConsoleApp } from './app.js';
import { loadConsoleConfig, type ConsoleConfig } from './config.js';
import { WarehouseReader } from './warehouse-reader.js';

/** Vite's output, next to the compiled server (console/dist/public). */
export const PAGES_DIR = fileURLToPath(new URL('../public/', import.meta.url));

export async function startConsole(config: ConsoleConfig = loadConsoleConfig()): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildConsoleApp({
    warehouse: new WarehouseReader(config.warehouseUrl, config.timeZone),
    timeZone: config.timeZone,
    tileUrl: config.tileUrl,
    pagesDir: PAGES_DIR,
    logLevel: config.logLevel,
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
