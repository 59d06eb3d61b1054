/**
 * The recomputation of participants on the embedded stack, as `polluscope reprocess` and
 * `polluscope load-csv` run it: the stack's endpoints as targets, and the lines they print.
 */
import pg from 'pg';
import { defaultTimelineStreamParams } from '@polluscope/postprocessing/domain';
import { readRegistryLogin } from '../infra/stack-secrets.js';
import { stackEndpoints, type StackConfig } from '../infra/stack-config.js';
import { kafkaClient } from './kafka-records.js';
import type { ReprocessResult, ReprocessTargets } from './reprocess.js';

export { reprocessParticipant } from './reprocess.js';

/** Runs `work` against the stack's rawdata, warehouse (as its owner), broker and registry. */
export async function withReprocessTargets<T>(stack: StackConfig, work: (targets: ReprocessTargets) => Promise<T>): Promise<T> {
  const endpoints = stackEndpoints(stack);
  const rawdata = new pg.Pool({ connectionString: endpoints.rawdataUrl, max: 1 });
  const warehouse = new pg.Pool({ connectionString: endpoints.warehouseUrl, max: 1 });
  try {
    return await work({
      rawdata,
      warehouse,
      kafka: kafkaClient(endpoints.kafkaBrokers),
      registry: { url: endpoints.registryUrl, login: readRegistryLogin(stack) },
      // The zone postprocessing computes its local days in: its TIME_ZONE, or its default.
      timeZone: process.env.TIME_ZONE ?? defaultTimelineStreamParams.timeZone,
    });
  } finally {
    await rawdata.end();
    await warehouse.end();
  }
}

export const publishedCounts = (result: ReprocessResult): string =>
  Object.entries(result.published)
    .map(([topic, n]) => `${n} to ${topic}`)
    .join(', ');

/** Where the recomputation starts, when a start was asked for. */
export const sessionNote = (result: ReprocessResult): string =>
  result.fromMs === undefined ? '' : ` from ${new Date(result.fromMs).toISOString()} (the start of the session holding the span)`;

/** The line a recomputation prints once sent. */
export function reprocessedLine(result: ReprocessResult): string {
  const deleted = Object.values(result.deleted).reduce((sum, n) => sum + n, 0);
  return (
    `reprocessing ${result.id}: re-published ${publishedCounts(result)}${sessionNote(result)}; ` +
    `${deleted} warehouse rows of the span deleted first; the warehouse follows as the services catch up (polluscope status)`
  );
}
