/**
 * Whether the pipeline has finished with what it was given: every service has processed all it
 * fetched and flushed every participant's tail (none open), and every sink connector has committed
 * everything its topics hold. Row counts alone cannot tell: a flush that only rewrites rows moves
 * no count, and the next stage's flush comes an idle timeout later. `npm start` prints its summary,
 * and the fault suite checks the warehouse, only once this holds for a quiet period.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_NAMES } from '@polluscope/common';
import { readConnectorFiles } from '../infra/connectors.js';
import { servicePort } from '../infra/services.js';
import { stackEndpoints, type StackConfig } from '../infra/stack-config.js';
import { kafkaClient } from './kafka-records.js';

export interface ServiceBacklog {
  readonly name: string;
  readonly ready: boolean;
  /** Records fetched but not yet processed. */
  readonly lag: number;
  /** Participants whose windows are open (their tails come out at the next idle flush). */
  readonly openParticipants: number;
}

export interface SinkBacklog {
  readonly group: string;
  readonly topic: string;
  /** Records the sink has not committed yet. */
  readonly lag: number;
}

export interface Backlog {
  readonly services: readonly ServiceBacklog[];
  readonly sinks: readonly SinkBacklog[];
}

/** What is still pending, one line each; empty when the pipeline has nothing left to do. */
export function pendingWork(backlog: Backlog): string[] {
  const pending: string[] = [];
  for (const s of backlog.services) {
    if (!s.ready) pending.push(`${s.name} not ready`);
    else if (s.lag > 0 || s.openParticipants > 0) pending.push(`${s.name}: ${s.lag} records to process, ${s.openParticipants} participants open`);
  }
  for (const s of backlog.sinks) if (s.lag > 0) pending.push(`${s.group}: ${s.lag} records of ${s.topic} to write`);
  return pending;
}

async function serviceBacklog(config: StackConfig): Promise<ServiceBacklog[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceBacklog> => {
      try {
        const response = await fetch(`http://${config.host}:${servicePort(config, name)}/health`, { signal: AbortSignal.timeout(3000) });
        const body = (await response.json()) as { ready?: boolean; lag?: number | null; consumer?: { openParticipants?: number } | null };
        return { name, ready: body.ready === true, lag: body.lag ?? 0, openParticipants: body.consumer?.openParticipants ?? 0 };
      } catch {
        return { name, ready: false, lag: 0, openParticipants: 0 };
      }
    }),
  );
}

/** The sink connectors' groups (`connect-<name>`) and the topics each reads, from connectors/. */
function sinkGroups(repoRoot: string): Array<{ group: string; topics: string[] }> {
  return readConnectorFiles(repoRoot)
    .filter((c) => typeof c.config.topics === 'string')
    .map((c) => ({ group: `connect-${c.name}`, topics: c.config.topics!.split(',').map((t) => t.trim()) }));
}

async function sinkBacklog(config: StackConfig): Promise<SinkBacklog[]> {
  const admin = kafkaClient(stackEndpoints(config).kafkaBrokers).admin();
  await admin.connect();
  try {
    const lags: SinkBacklog[] = [];
    for (const { group, topics } of sinkGroups(config.repoRoot)) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
        const high = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
        let lag = 0;
        for (const { partition, offset } of partitions) lag += Math.max(0, (high.get(partition) ?? 0) - Math.max(0, Number(offset)));
        lags.push({ group, topic, lag });
      }
    }
    return lags;
  } finally {
    await admin.disconnect();
  }
}

export async function readBacklog(config: StackConfig): Promise<Backlog> {
  const [services, sinks] = await Promise.all([serviceBacklog(config), sinkBacklog(config)]);
  return { services, sinks };
}

export interface SettleOptions {
  /** How long nothing may be pending and `observe` may not change (longer than the services' idle timeout). */
  readonly quietMs: number;
  readonly timeoutMs: number;
  /** A reading of the results (row counts, say) that must also stay still for `quietMs`. */
  readonly observe?: () => Promise<string>;
  readonly pollMs?: number;
  readonly onPending?: (pending: readonly string[]) => void;
}

/**
 * Waits until nothing is pending and `observe` has not changed for `quietMs`; returns the last
 * observation. Throws after `timeoutMs`, naming what was still pending.
 */
export async function waitUntilSettled(config: StackConfig, options: SettleOptions): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  let previous: string | null = null;
  let quietSince = Date.now();
  let pending: string[] = [];
  while (Date.now() < deadline) {
    let observed = '';
    try {
      pending = pendingWork(await readBacklog(config));
      observed = options.observe ? await options.observe() : '';
    } catch (err) {
      // A part may still be coming back from a restart or a fault.
      pending = [`not reachable: ${err instanceof Error ? err.message : String(err)}`];
    }
    options.onPending?.(pending);
    if (pending.length > 0 || observed !== previous) quietSince = Date.now();
    else if (Date.now() - quietSince >= options.quietMs) return observed;
    previous = observed;
    await sleep(options.pollMs ?? 2000);
  }
  throw new Error(`the pipeline did not settle within ${options.timeoutMs / 1000} s; still pending: ${pending.join('; ') || 'results still changing'}`);
}
