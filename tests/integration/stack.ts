/** Access to the embedded stack for integration tests: endpoints, SQL helpers, polling. */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadStackConfig, stackEndpoints } from '../../cli/src/infra/stack-config.js';

export const stackConfig = loadStackConfig();
export const endpoints = stackEndpoints(stackConfig);

export function rawdata(): pg.Pool {
  return new pg.Pool({ connectionString: endpoints.rawdataUrl, max: 2 });
}

export function warehouse(): pg.Pool {
  return new pg.Pool({ connectionString: endpoints.warehouseUrl, max: 2 });
}

/** The warehouse as a researcher reads it: the local-development read-only login (docs/warehouse.md). */
export function researcherPool(): pg.Pool {
  return new pg.Pool({ host: stackConfig.host, port: stackConfig.ports.warehouse, database: 'warehouse', user: 'researcher_login', password: 'researcher', max: 1 });
}

/** A participant id no earlier run has used, so tests never see each other's rows. */
export function freshParticipant(label: string): string {
  return `it-${label}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * Polls `read` until `done` accepts its result, or fails after `timeoutMs` with the last result,
 * so a timeout says what was seen.
 */
export async function eventually<T>(what: string, timeoutMs: number, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await sleep(1000);
  }
  throw new Error(`${what}: not reached within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)}`);
}
