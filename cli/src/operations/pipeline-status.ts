/**
 * Gathers what `polluscope status` shows (docs/design.md §8): each service's /health, the broker-side
 * lag of every consumer group (the services' and the sinks' `connect-…` groups), connectors and
 * their tasks, the CDC replication slot's retained WAL, and the dead letters per topic. A part
 * that cannot be reached is reported as such; the rest is still gathered.
 */
import pg from 'pg';
import { allTopics, restoreGroupPrefix, SERVICE_NAMES } from '@polluscope/common';
import { servicePort } from '../infra/services.js';
import { connectFetch } from '../infra/connectors.js';
import { stackEndpoints, type StackConfig } from '../infra/stack-config.js';
import { connectRest } from '../infra/stack-secrets.js';
import { toDeadLetter } from './dead-letters.js';
import { CLI_GROUP_PREFIX, kafkaClient, readRecords, topicBounds, type PartitionBounds } from './kafka-records.js';
import {
  partitionLags,
  type ConnectorState,
  type DeadLetterTopicState,
  type GroupLag,
  type PipelineSnapshot,
  type ServiceState,
  type SlotState,
  type Unreachable,
} from './pipeline-health.js';

const HTTP_TIMEOUT_MS = 3000;
/** Apicurio's kafkasql storage reads its journal topic in a group of its own per instance. */
const REGISTRY_GROUP_PREFIX = 'apicurio-';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function serviceStates(config: StackConfig): Promise<ServiceState[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceState> => {
      try {
        const response = await fetch(`http://${config.host}:${servicePort(config, name)}/health`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
        const body = (await response.json()) as { ready?: boolean; reason?: string | null; lag?: number | null };
        return { name, state: body.ready === true ? 'ready' : 'not ready', reason: body.reason ?? null, lag: body.lag ?? null };
      } catch (err) {
        return { name, state: 'down', reason: message(err), lag: null };
      }
    }),
  );
}

async function connectorStates(config: StackConfig): Promise<ConnectorState[]> {
  const api = connectRest(config);
  const response = await connectFetch(api, '/connectors?expand=status', { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET /connectors answered ${response.status}`);
  const body = (await response.json()) as Record<string, { status: { connector: { state: string }; tasks: { id: number; state: string; trace?: string }[] } }>;
  return Object.entries(body)
    .map(([name, { status }]) => ({
      name,
      state: status.connector.state,
      tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, error: t.trace?.split('\n')[0] ?? null })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function slotStates(rawdataUrl: string): Promise<SlotState[]> {
  const client = new pg.Client({ connectionString: rawdataUrl, connectionTimeoutMillis: HTTP_TIMEOUT_MS });
  await client.connect();
  try {
    const { rows } = await client.query<{ slot_name: string; active: boolean; retained: string | null }>(
      'SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained FROM pg_replication_slots ORDER BY slot_name',
    );
    return rows.map((r) => ({ name: r.slot_name, active: r.active, retainedBytes: Number(r.retained ?? 0) }));
  } finally {
    await client.end();
  }
}

async function groupLags(brokers: string): Promise<{ groups: GroupLag[]; bounds: Map<string, PartitionBounds[]> }> {
  const kafka = kafkaClient(brokers);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    // The command line's own readers, the registry's storage readers (one per instance) and the
    // services' changelog restore readers (one per assignment, never committing) are not the pipeline's.
    const restoreReaders = SERVICE_NAMES.map(restoreGroupPrefix);
    const ours = (g: string) => !g.startsWith(CLI_GROUP_PREFIX) && !g.startsWith(REGISTRY_GROUP_PREFIX) && !restoreReaders.some((prefix) => g.startsWith(prefix));
    const names = groups.map((g) => g.groupId).filter(ours).sort();
    const committedByGroup = new Map<string, { topic: string; partition: number; offset: number | null }[]>();
    const topics = new Set<string>(allTopics().map((t) => t.name));
    for (const groupId of names) {
      const offsets = await admin.fetchOffsets({ groupId });
      const entries = offsets.flatMap(({ topic, partitions }) => {
        topics.add(topic);
        return partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) < 0 ? null : Number(p.offset) }));
      });
      committedByGroup.set(groupId, entries);
    }
    const existing = new Set(await admin.listTopics());
    const bounds = await topicBounds(admin, [...topics].filter((t) => existing.has(t)));
    const lags = names.map((group) => {
      const partitions = partitionLags(committedByGroup.get(group) ?? [], bounds);
      return { group, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
    });
    return { groups: lags, bounds };
  } finally {
    await admin.disconnect();
  }
}

async function deadLetterStates(brokers: string, bounds: Map<string, PartitionBounds[]>): Promise<DeadLetterTopicState[]> {
  const topics = [...bounds.keys()].filter((t) => t.startsWith('dlq.')).sort();
  const newest = new Map<string, number>();
  const withLetters = topics.filter((t) => bounds.get(t)!.some((p) => p.end > p.start));
  for (const record of await readRecords(kafkaClient(brokers), withLetters, { lastPerPartition: 1 })) {
    const letter = toDeadLetter(record.topic, record.partition, record.message);
    newest.set(record.topic, Math.max(newest.get(record.topic) ?? 0, letter.timestampMs));
  }
  return topics.map((topic) => {
    const count = bounds.get(topic)!.reduce((sum, p) => sum + (p.end - p.start), 0);
    const at = newest.get(topic);
    return { topic, count, newest: at === undefined ? null : new Date(at).toISOString() };
  });
}

export async function gatherPipelineStatus(config: StackConfig, now: () => Date = () => new Date()): Promise<PipelineSnapshot> {
  const endpoints = stackEndpoints(config);
  const unreachable: Unreachable[] = [];
  const [services, connectors, slots, kafka] = await Promise.all([
    serviceStates(config),
    connectorStates(config).catch((err) => {
      unreachable.push({ part: 'connect', error: message(err) });
      return [] as ConnectorState[];
    }),
    slotStates(endpoints.rawdataUrl).catch((err) => {
      unreachable.push({ part: 'rawdata', error: message(err) });
      return [] as SlotState[];
    }),
    groupLags(endpoints.kafkaBrokers).catch((err) => {
      unreachable.push({ part: 'broker', error: message(err) });
      return null;
    }),
  ]);
  let deadLetters: DeadLetterTopicState[] = [];
  if (kafka !== null) {
    deadLetters = await deadLetterStates(endpoints.kafkaBrokers, kafka.bounds).catch((err) => {
      unreachable.push({ part: 'broker', error: `reading the dead-letter topics: ${message(err)}` });
      return [];
    });
  }
  return { checkedAt: now().toISOString(), services, groups: kafka?.groups ?? [], connectors, slots, deadLetters, unreachable };
}
