/**
 * `polluscope reprocess` (docs/design.md §8): a participant's rows read back from rawdata, in time
 * order, and re-published to the raw topics with a reprocessing id (header `polluscope.reprocess`),
 * to the partition change data capture puts them in. Each stage that meets a new id for the
 * participant starts it afresh and stamps its outputs with the id, so the next stage does too:
 * the participant's whole chain is recomputed with today's code and models, and the warehouse's
 * upserts leave every row that comes out the same untouched.
 */
import { randomUUID } from 'node:crypto';
import { AvroCodec, DEFAULT_SCHEMAS_DIR, REPROCESS_HEADER, TOPICS, type RegistryLogin, type TopicSpec } from '@polluscope/common';
import { Partitioners, type Kafka } from 'kafkajs';
import pg from 'pg';
import { RAW_TABLES, type RawTable } from '../loader/raw-tables.js';

export interface ReprocessSpan {
  readonly participant: string;
  /** Rows from this time on (inclusive), ms; the participant's first row when absent. */
  readonly fromMs?: number;
  /** Rows before this time (exclusive), ms; up to the last row when absent. */
  readonly toMs?: number;
}

/** The raw topics and the rawdata tables the change-data-capture source fills them from. */
const RAW_SOURCES: readonly { readonly topic: TopicSpec; readonly table: RawTable }[] = [
  { topic: TOPICS.rawSensor, table: RAW_TABLES.sensor },
  { topic: TOPICS.rawGps, table: RAW_TABLES.gps },
];

/**
 * A rawdata row as its change-data-capture record: the bigint id as a number, the time as an
 * ISO-8601 string (Debezium's ZonedTimestamp), everything else as it is.
 */
export function rawRecordOf(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const record: Record<string, unknown> = { ...row };
  if (row.id !== undefined && row.id !== null) record.id = Number(row.id);
  const time = row.time;
  record.time = time instanceof Date ? time.toISOString() : String(time);
  return record;
}

/** The span's conditions, by which bounds it has; the times are parameters $2 and $3. */
const SPAN_CONDITIONS = { none: '', from: ' AND time >= $2', to: ' AND time < $2', both: ' AND time >= $2 AND time < $3' } as const;

/** The parameterised query of a participant's rows of `table` (with their id) in a span, in time order. */
export function spanQuery(table: RawTable, span: ReprocessSpan): { text: string; values: unknown[] } {
  const bounds = span.fromMs !== undefined ? (span.toMs !== undefined ? 'both' : 'from') : span.toMs !== undefined ? 'to' : 'none';
  const values: unknown[] = [span.participant];
  if (span.fromMs !== undefined) values.push(new Date(span.fromMs));
  if (span.toMs !== undefined) values.push(new Date(span.toMs));
  const columns = ['id', ...table.columns].map((c) => pg.escapeIdentifier(c)).join(', ');
  return {
    text: `SELECT ${columns} FROM ${pg.escapeIdentifier(table.table)} WHERE participant_virtual_id = $1${SPAN_CONDITIONS[bounds]} ORDER BY time, id`,
    values,
  };
}

export interface ReprocessResult {
  readonly id: string;
  readonly published: Readonly<Record<string, number>>;
}

const BATCH_ROWS = 5000;

/** Re-publishes a participant's span; `dryRun` counts the rows without sending them. */
export async function reprocessParticipant(
  rawdata: pg.Pool,
  kafka: Kafka,
  registry: { readonly url: string; readonly login: RegistryLogin | null },
  span: ReprocessSpan,
  options: { dryRun?: boolean } = {},
): Promise<ReprocessResult> {
  const id = randomUUID();
  const published: Record<string, number> = {};
  const codec = new AvroCodec(registry.url, DEFAULT_SCHEMAS_DIR, registry.login);
  const producer = options.dryRun ? null : kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer?.connect();
  try {
    for (const source of RAW_SOURCES) {
      const { text, values } = spanQuery(source.table, span);
      const { rows } = await rawdata.query(text, values);
      published[source.topic.name] = rows.length;
      if (producer === null) continue;
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        const messages = [];
        for (const row of rows.slice(start, start + BATCH_ROWS)) {
          messages.push({ key: span.participant, value: await codec.encodeAsLatest(source.topic, rawRecordOf(row)), headers: { [REPROCESS_HEADER]: id } });
        }
        // One partition, in order: a participant's records keep their time order on the topic.
        await producer.send({ topic: source.topic.name, acks: -1, messages });
      }
    }
  } finally {
    await producer?.disconnect();
  }
  return { id, published };
}
