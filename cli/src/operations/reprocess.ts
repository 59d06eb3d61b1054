/**
 * `polluscope reprocess` (docs/design.md §8), and `load-csv` after a load that lies behind rows
 * already there: a participant's rows read back from rawdata, in time order, from the start of the
 * session that holds the span (the last gap of {@link SESSION_GAP_MS}), and re-published to the raw
 * topics with a reprocessing id (header `polluscope.reprocess`), to the partition change data
 * capture puts them in. Each stage that meets a new id for the participant starts it afresh and
 * stamps its outputs with the id, so the next stage does too: the participant's chain is
 * recomputed with today's code and models. Before that, the participant's warehouse rows of the
 * span are deleted, so a row whose key no longer comes out (a stop that now starts earlier) does
 * not stay beside its replacement.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AvroCodec,
  DEFAULT_SCHEMAS_DIR,
  produceChunks,
  REPROCESS_COVERS_HEADER,
  REPROCESS_HEADER,
  TOPICS,
  type RegistryLogin,
  type ReprocessCovers,
  type TopicSpec,
} from '@polluscope/common';
import { defaultTimelineStreamParams, localDay } from '@polluscope/postprocessing/domain';
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

/**
 * The parameterised query of a participant's rows of `table` (with their id) in a span, in time
 * order; with `upToId`, only the rows whose id is at most that.
 */
export function spanQuery(table: RawTable, span: ReprocessSpan, upToId?: number): { text: string; values: unknown[] } {
  const values: unknown[] = [span.participant];
  const columns = ['id', ...table.columns].map((c) => pg.escapeIdentifier(c)).join(', ');
  let text = `SELECT ${columns} FROM ${pg.escapeIdentifier(table.table)} WHERE participant_virtual_id = $1`;
  if (span.fromMs !== undefined) text += ` AND time >= $${values.push(new Date(span.fromMs))}`;
  if (span.toMs !== undefined) text += ` AND time < $${values.push(new Date(span.toMs))}`;
  if (upToId !== undefined) text += ` AND id <= $${values.push(upToId)}`;
  text += ' ORDER BY time, id';
  return { text, values };
}

/**
 * The query of the highest id each raw table has handed out (its sequence's last value, 0 before
 * the first), with the current snapshot's xmax: the transactions that may still commit one of
 * those ids are older than it.
 */
export function handedOutIdsQuery(): { text: string; values: unknown[] } {
  return {
    text:
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax, ' +
      "(SELECT coalesce(last_value, 0) FROM pg_sequences WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) = pg_get_serial_sequence($1, 'id')) AS sensor, " +
      "(SELECT coalesce(last_value, 0) FROM pg_sequences WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) = pg_get_serial_sequence($2, 'id')) AS gps",
    values: [RAW_TABLES.sensor.table, RAW_TABLES.gps.table],
  };
}

/** How long a reprocessing waits for the raw tables' open transactions to end before it gives up, ms. */
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * The highest id each raw table (of RAW_SOURCES) had handed out, once every transaction that could
 * still commit a row with a lower id has ended: a participant's rows up to those ids are then all
 * there, so the stages may skip their change-data-capture copies. A row inserted later, with a
 * higher id, is not re-published and reaches the stages as any new row.
 */
export async function settledIds(rawdata: pg.Pool, timeoutMs = SETTLE_TIMEOUT_MS): Promise<number[]> {
  const { text, values } = handedOutIdsQuery();
  const { rows } = await rawdata.query<{ xmax: string; sensor: string; gps: string }>(text, values);
  const row = rows[0]!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: now } = await rawdata.query<{ settled: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled', [row.xmax]);
    if (now[0]?.settled) break;
    if (Date.now() > deadline) {
      throw new Error(`rawdata: a transaction open since before the reprocessing (before xid ${row.xmax}) did not end within ${timeoutMs / 1000} s; run it again once it has (pg_stat_activity shows it)`);
    }
    await sleep(50);
  }
  return RAW_SOURCES.map(({ table }) => Number(table === RAW_TABLES.sensor ? row.sensor : row.gps));
}

/**
 * A gap in a participant's rows (both raw tables together) that no stage's state reaches across:
 * a stop bridges gaps of up to 12 h (maxStopGapS), the sensor cleaning's windows are minutes, and
 * a local day lasts at most 25 h, so the exposure of the day after such a gap has nothing before it.
 */
export const SESSION_GAP_MS = 25 * 3_600_000;

/**
 * The parameterised query of the start of the session that holds `fromMs`: the participant's first
 * row at or before it that follows a gap of at least {@link SESSION_GAP_MS} (or is the first of
 * all); null when the participant has no row at or before it.
 */
export function sessionStartQuery(participant: string, fromMs: number): { text: string; values: unknown[] } {
  const times = RAW_SOURCES.map(({ table }) => `SELECT time FROM ${pg.escapeIdentifier(table.table)} WHERE participant_virtual_id = $1 AND time <= $2`).join(' UNION ALL ');
  return {
    text:
      `SELECT max(time) AS start FROM (SELECT time, time - lag(time) OVER (ORDER BY time) AS gap FROM (${times}) AS rows) AS steps ` +
      'WHERE gap IS NULL OR gap >= make_interval(secs => $3)',
    values: [participant, new Date(fromMs), SESSION_GAP_MS / 1000],
  };
}

/** The warehouse tables a participant's recomputation writes again, by the column that places a row in time. */
export const RECOMPUTED_TABLES: readonly { readonly table: string; readonly time: string }[] = Object.freeze([
  { table: 'sensor_clean', time: 'time' },
  { table: 'activity_segments', time: 'segment_start' },
  { table: 'gps_clean', time: 'time' },
  { table: 'gps_dropped', time: 'time' },
  { table: 'gps_episodes', time: 'episode_start' },
  { table: 'activity_timeline', time: 'segment_start' },
]);

/** `exposure_daily`, whose rows are local days of the participants' time zone. */
const DAILY_TABLE = 'exposure_daily';

/** A local day (days since 1970-01-01) as the SQL date it is. */
const isoDate = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * The parameterised statements that delete the participant's warehouse rows of a span: those the
 * recomputation writes again (review decisions, made by people, stay). Days of exposure go from
 * the local day of `fromMs` in `timeZone` (postprocessing's).
 */
export function spanDeletes(span: ReprocessSpan, timeZone: string): { table: string; text: string; values: unknown[] }[] {
  const statements = RECOMPUTED_TABLES.map(({ table, time }) => {
    const column = pg.escapeIdentifier(time);
    const values: unknown[] = [span.participant];
    let text = `DELETE FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id = $1`;
    if (span.fromMs !== undefined) text += ` AND ${column} >= $${values.push(new Date(span.fromMs))}`;
    if (span.toMs !== undefined) text += ` AND ${column} < $${values.push(new Date(span.toMs))}`;
    return { table, text, values };
  });
  const values: unknown[] = [span.participant];
  let text = `DELETE FROM ${pg.escapeIdentifier(DAILY_TABLE)} WHERE participant_virtual_id = $1`;
  if (span.fromMs !== undefined) text += ` AND day >= $${values.push(isoDate(localDay(span.fromMs, timeZone)))}::date`;
  if (span.toMs !== undefined) text += ` AND day < $${values.push(isoDate(localDay(span.toMs, timeZone)))}::date`;
  statements.push({ table: DAILY_TABLE, text, values });
  return statements;
}

/**
 * The parameterised query of a participant's current review decisions (the latest per segment) on
 * segments that start in the span: the recomputed timeline must carry them again.
 */
export function decisionsQuery(span: ReprocessSpan): { text: string; values: unknown[] } {
  const values: unknown[] = [span.participant];
  let text = 'SELECT participant_virtual_id, segment_start, label, reviewer, comment, decided_at FROM review_decisions_latest WHERE participant_virtual_id = $1';
  if (span.fromMs !== undefined) text += ` AND segment_start >= $${values.push(new Date(span.fromMs))}`;
  if (span.toMs !== undefined) text += ` AND segment_start < $${values.push(new Date(span.toMs))}`;
  text += ' ORDER BY segment_start';
  return { text, values };
}

/** A warehouse decision row as its review.decisions record: times as epoch milliseconds. */
export function decisionRecordOf(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ms = (value: unknown) => (value instanceof Date ? value.getTime() : Date.parse(String(value)));
  return { ...row, segment_start: ms(row.segment_start), decided_at: ms(row.decided_at) };
}

export interface ReprocessResult {
  readonly id: string;
  /** Where the recomputation starts: the session start before the span's, or undefined for the first row. */
  readonly fromMs: number | undefined;
  readonly published: Readonly<Record<string, number>>;
  /** Warehouse rows deleted before re-publishing, by table (none in a dry run or without a warehouse). */
  readonly deleted: Readonly<Record<string, number>>;
}

export interface ReprocessTargets {
  readonly rawdata: pg.Pool;
  /** The warehouse, as a role that may delete the participant's rows; null to leave it as it is. */
  readonly warehouse: pg.Pool | null;
  readonly kafka: Kafka;
  readonly registry: { readonly url: string; readonly login: RegistryLogin | null };
  /** Postprocessing's time zone, for the local days of exposure (default: its default). */
  readonly timeZone?: string;
}

/** The start of the session that holds `fromMs` (see {@link sessionStartQuery}), or `fromMs` itself. */
export async function sessionStart(rawdata: pg.Pool, participant: string, fromMs: number): Promise<number> {
  const { text, values } = sessionStartQuery(participant, fromMs);
  const { rows } = await rawdata.query<{ start: Date | null }>(text, values);
  const start = rows[0]?.start;
  return start instanceof Date ? start.getTime() : fromMs;
}

/**
 * Re-publishes a participant's span from the start of its session; `dryRun` counts the rows
 * without deleting or sending anything.
 */
export async function reprocessParticipant(targets: ReprocessTargets, span: ReprocessSpan, options: { dryRun?: boolean } = {}): Promise<ReprocessResult> {
  const id = randomUUID();
  const fromMs = span.fromMs === undefined ? undefined : await sessionStart(targets.rawdata, span.participant, span.fromMs);
  const session: ReprocessSpan = { ...span, ...(fromMs === undefined ? {} : { fromMs }) };
  const published: Record<string, number> = {};
  const deleted: Record<string, number> = {};
  const upToIds = await settledIds(targets.rawdata);
  const read = [];
  for (const [i, source] of RAW_SOURCES.entries()) {
    const upToId = upToIds[i]!;
    const { text, values } = spanQuery(source.table, session, upToId);
    const { rows } = await targets.rawdata.query<Record<string, unknown>>(text, values);
    published[source.topic.name] = rows.length;
    read.push({ source, rows, covers: { fromMs: fromMs ?? 0, ...(span.toMs === undefined ? {} : { toMs: span.toMs }), upToId } });
  }
  // Postprocessing starts the participant afresh, without the decisions it had: they are sent
  // again with the reprocessing's id (the sink's upsert of an unchanged decision changes nothing).
  let decisions: Record<string, unknown>[] = [];
  if (targets.warehouse !== null) {
    const { text, values } = decisionsQuery(session);
    decisions = (await targets.warehouse.query<Record<string, unknown>>(text, values)).rows.map(decisionRecordOf);
    published[TOPICS.reviewDecisions.name] = decisions.length;
  }
  if (options.dryRun) return { id, fromMs, published, deleted };
  if (targets.warehouse !== null) {
    const client = await targets.warehouse.connect();
    try {
      await client.query('BEGIN');
      for (const { table, text, values } of spanDeletes(session, targets.timeZone ?? defaultTimelineStreamParams.timeZone)) {
        deleted[table] = (await client.query(text, values)).rowCount ?? 0;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
  try {
    await publish(targets, id, span.participant, read, decisions);
  } catch (err) {
    const from = fromMs === undefined ? '' : ` --from ${new Date(fromMs).toISOString()}`;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `reprocessing ${id} of ${span.participant} failed after its warehouse rows of the span were deleted: ${message}; ` +
        `run polluscope reprocess --participant ${span.participant}${from} again`,
      { cause: err },
    );
  }
  return { id, fromMs, published, deleted };
}

/** Sends the rows read to their raw topics with the reprocessing's headers, in time order, then the decisions. */
async function publish(
  targets: ReprocessTargets,
  id: string,
  participant: string,
  read: readonly { readonly source: (typeof RAW_SOURCES)[number]; readonly rows: readonly Record<string, unknown>[]; readonly covers: ReprocessCovers }[],
  decisions: readonly Record<string, unknown>[],
): Promise<void> {
  const codec = new AvroCodec(targets.registry.url, DEFAULT_SCHEMAS_DIR, targets.registry.login);
  const producer = targets.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const sends = [
    ...read.map(({ source, rows, covers }) => ({
      topic: source.topic,
      records: rows.map(rawRecordOf),
      headers: { [REPROCESS_HEADER]: id, [REPROCESS_COVERS_HEADER]: JSON.stringify(covers) },
    })),
    { topic: TOPICS.reviewDecisions, records: decisions, headers: { [REPROCESS_HEADER]: id } },
  ];
  try {
    for (const { topic, records, headers } of sends) {
      const messages = [];
      for (const record of records) messages.push({ key: participant, value: await codec.encodeAsLatest(topic, record), headers });
      // One partition, requests one after the other: a participant's records keep their time
      // order on the topic, and no request passes the broker's message size.
      for (const chunk of produceChunks([{ topic: topic.name, messages }])) await producer.sendBatch({ topicMessages: chunk, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}
