/**
 * A model JSON file loaded at start and reloaded when it changes on disk, so retrained models are
 * picked up without a restart. A file that fails to parse keeps the previous model in use.
 */
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { PipelineError } from './errors.js';

/** models/ at the repository root, seen from services/common/{src,dist}. */
export const DEFAULT_MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');

export interface WatchedModel<T> {
  current(): T | null;
  close(): void;
}

export function loadModelFile<T>(path: string, parse: (json: unknown) => T): T {
  try {
    return parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new PipelineError('MODEL_INVALID', `cannot load model ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
}

export function watchModelFile<T>(path: string, parse: (json: unknown) => T, logger: Logger, pollMs = 2000): WatchedModel<T> {
  let model: T | null = null;
  const load = (reason: string) => {
    if (!existsSync(path)) {
      logger.warn({ path }, 'model file not found');
      return;
    }
    try {
      model = loadModelFile(path, parse);
      logger.info({ path, reason }, 'model loaded');
    } catch (err) {
      logger.error({ err, path }, 'model file rejected; keeping the previous model');
    }
  };
  load('start');
  const listener = (now: { mtimeMs: number }, before: { mtimeMs: number }) => {
    if (now.mtimeMs !== before.mtimeMs) load('file changed');
  };
  watchFile(path, { interval: pollMs, persistent: false }, listener);
  return { current: () => model, close: () => unwatchFile(path, listener) };
}
