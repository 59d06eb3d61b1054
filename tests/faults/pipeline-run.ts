/**
 * What a run left in the real pipeline: when it has drained (services caught up, sinks committed,
 * counts still), the warehouse rows of its participants (each run has its own participant-id
 * prefix, so runs never share rows) and the dead letters it caused.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { deadLetterTopic, SERVICE_NAMES } from '@polluscope/common';
import { waitUntilSettled } from '../../cli/src/operations/pipeline-settled.js';
import { endpoints, stackConfig } from '../integration/stack.js';
import type { Row } from './table-diff.js';

/** The warehouse tables the stream writes, with their primary keys. */
export const STREAM_TABLES: ReadonlyArray<{ readonly table: string; readonly key: readonly string[] }> = [
  { table: 'sensor_clean', key: ['participant_virtual_id', 'time'] },
  { table: 'activity_segments', key: ['participant_virtual_id', 'segment_start'] },
  { table: 'gps_clean', key: ['participant_virtual_id', 'time'] },
  { table: 'gps_episodes', key: ['participant_virtual_id', 'episode_start'] },
  { table: 'activity_timeline', key: ['participant_virtual_id', 'segment_start'] },
  { table: 'exposure_daily', key: ['participant_virtual_id', 'day', 'micro_environment'] },
];

interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly lag: number;
}

/** Rows per stream table for the participants of `prefix`. */
export async function countRows(warehouse: pg.Pool, prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table } of STREAM_TABLES) {
    const { rows } = await warehouse.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id LIKE $1`, [`${prefix}%`]);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/**
 * Waits until every service has processed all it fetched and flushed every participant's tail,
 * every sink has committed everything, and the run's row counts have not moved for `quietMs`
 * (longer than the services' idle timeout). Throws after `timeoutMs` naming what was pending.
 */
export async function waitForDrain(
  warehouse: pg.Pool,
  prefix: string,
  options: { readonly quietMs: number; readonly timeoutMs: number },
): Promise<Record<string, number>> {
  const observed = await waitUntilSettled(stackConfig, { ...options, observe: async () => JSON.stringify(await countRows(warehouse, prefix)) });
  return JSON.parse(observed) as Record<string, number>;
}

/** Every row of the stream tables for `prefix`, with the prefix taken off the participant ids. */
export async function snapshot(warehouse: pg.Pool, prefix: string): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  for (const { table, key } of STREAM_TABLES) {
    const { rows } = await warehouse.query<Record<string, unknown>>(
      `SELECT * FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id LIKE $1 ORDER BY ${key.map((c) => pg.escapeIdentifier(c)).join(', ')}`,
      [`${prefix}%`],
    );
    tables.set(
      table,
      rows.map((row) => ({ ...row, participant_virtual_id: String(row.participant_virtual_id).slice(prefix.length) })),
    );
  }
  return tables;
}

/** A partition of a dead-letter topic and an offset in it. */
export interface DeadLetterPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface DeadLetter {
  readonly topic: string;
  readonly participant: string;
  /** The `error` header: the reason, e.g. `future: time … is 1200 min ahead …`. */
  readonly error: string;
}

const kafkaClient = () => new Kafka({ clientId: 'polluscope-fault-suite', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });

/** The end of every service's dead-letter topic, per partition: where a run's dead letters will start. */
export async function deadLetterEnds(): Promise<DeadLetterPosition[]> {
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    const ends: DeadLetterPosition[] = [];
    for (const service of SERVICE_NAMES) {
      const topic = deadLetterTopic(service).name;
      for (const p of await admin.fetchTopicOffsets(topic)) ends.push({ topic, partition: p.partition, offset: Number(p.high) });
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/** The dead letters of the participants of `prefix` written after `since` (read up to the current ends). */
export async function deadLettersSince(since: readonly DeadLetterPosition[], prefix: string): Promise<DeadLetter[]> {
  const from = new Map(since.map((p) => [`${p.topic}:${p.partition}`, p.offset]));
  const todo = (await deadLetterEnds()).filter((end) => end.offset > (from.get(`${end.topic}:${end.partition}`) ?? 0));
  if (todo.length === 0) return [];
  const pending = new Map(todo.map((end) => [`${end.topic}:${end.partition}`, end.offset]));
  const found: DeadLetter[] = [];
  const consumer = kafkaClient().consumer({ groupId: `polluscope-fault-suite-dlq-${Date.now().toString(36)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(todo.map((p) => p.topic))], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const participant = message.key?.toString() ?? '';
        if (participant.startsWith(prefix)) found.push({ topic, participant, error: message.headers?.error?.toString() ?? '' });
        const end = pending.get(`${topic}:${partition}`);
        if (end !== undefined && Number(message.offset) >= end - 1) pending.delete(`${topic}:${partition}`);
      },
    });
    for (const p of todo) consumer.seek({ topic: p.topic, partition: p.partition, offset: String(from.get(`${p.topic}:${p.partition}`) ?? 0) });
    // Transaction markers take offsets too: stop at the ends, or after a while with nothing new.
    const deadline = Date.now() + 30_000;
    while (pending.size > 0 && Date.now() < deadline) await sleep(500);
    return found;
  } finally {
    await consumer.disconnect();
  }
}
