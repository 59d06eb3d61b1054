/**
 * `npm run bench:e2e [-- --participants N --days D --gps-rate-hz R --seed S --timeout-s T
 * --wait-idle-s W --keep --jfr DIR]`: simulated participants COPYed into rawdata as fast as the loader's
 * batch COPY goes, through the running pipeline (change data capture, the five services, the
 * JDBC sinks) until the warehouse has everything. Targets (issues 9 and 20): ≥ 20,000 raw records/s
 * sustained; p99 window close → warehouse row ≤ 2 s. Also the peak RSS of each service under this
 * load, and where records queued (the backlog of each service and sink, sampled every 2 s).
 *
 * - The run first waits (up to --wait-idle-s) for the pipeline to be idle, so it does not measure
 *   someone else's backlog; it says so when it starts anyway.
 * - Sustained records/s: raw records × (share of the expected sensor_clean + gps_clean rows that
 *   reached the warehouse between 10 % and 90 %) / the time between the two; the time from the
 *   first COPY until the warehouse has every expected row is printed beside it (its end includes
 *   the services' idle timeout, which alone closes each participant's last windows).
 * - Window close → warehouse row, for the 5-minute windows of activity.segments
 *   (classification-validation) and activity.timeline (postprocessing): from the moment the service
 *   produced the window's first record (its Kafka CreateTime, stamped by the service's producer
 *   right after the window closed) to the first poll of the warehouse (every 100 ms) that sees its
 *   row. The poll interval bounds the error (late by at most one interval plus the query).
 * - Peak RSS: VmHWM of each service process, reset when the load starts (/proc/<pid>/clear_refs),
 *   and the highest VmRSS sampled every second, in case the reset is not allowed.
 * - CPU per component from the first COPY until the warehouse is complete: each PostgreSQL cluster
 *   (its backends included), ZooKeeper, the broker, the registry, Connect, each service and this
 *   process, in CPU seconds per 1,000 raw records and as a share of the machine's cores; the rest
 *   of the machine's busy time as `other` (bench/pipeline/process-cpu.ts); and the statements that
 *   took the warehouse's and rawdata's time, from pg_stat_statements (bench/pipeline/statement-stats.ts).
 *
 * - `--jfr DIR`: a Java Flight Recording of Kafka Connect over the same span, written to
 *   `DIR/connect-<run>.jfr`, and where its samples fell (thread groups, the sink's layers, top
 *   frames; bench/pipeline/flight-recording.ts).
 *
 * Participants are `bench-e2e-<run>-NNN`; their rows are deleted from rawdata and the warehouse at
 * the end unless --keep. Needs the stack and the services (`npm start`); starts the services if
 * they are not running. Other work on the same stack during the run shows in the figures.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { eventTimeMs, SERVICE_NAMES, TOPICS, type ServiceName } from '@polluscope/common';
import { cleanGpsChunk, initialCleanGpsState } from '@polluscope/gps-preprocessing/domain';
import { runningPid } from '../cli/src/infra/processes.js';
import { heapFigures, type HeapFigures } from './pipeline/service-memory.js';
import {
  formatRecordingSummary,
  readExecutionSamples,
  startFlightRecording,
  stopFlightRecording,
  summariseSamples,
  type RecordingSummary,
} from './pipeline/flight-recording.js';
import { localServices, servicesStatus, servicesUp } from '../cli/src/infra/services.js';
import { stackStatus } from '../cli/src/infra/stack.js';
import { loadStackConfig, stackEndpoints } from '../cli/src/infra/stack-config.js';
import { copyCsvBatchIntoRaw } from '../cli/src/loader/copy-into-raw.js';
import { csvHeader, gpsCsvLine, sensorCsvLine, simulate, type GpsRecord, type SensorRecord } from '../cli/src/simulator/index.js';
import { clockTicksPerSecond, cpuBetween, snapshotCpu } from './pipeline/process-cpu.js';
import { requireStack } from './pipeline/stack.js';
import { readStatements, statementLine, statementsBetween, type StatementStats } from './pipeline/statement-stats.js';
import { describeMachine, formatCount, machine, percentile, table, timeAtShare, writeResults } from './pipeline/report.js';
import { benchParticipantId, simulationParams, type SimulatedLoad } from './pipeline/simulated-records.js';

const TARGET_RECORDS_PER_S = 20_000;
const TARGET_P99_MS = 2000;
/** Issue 20: each service's peak resident set during the run. */
const TARGET_RSS_MIB = 256;
/** The loader's batch size (load-csv). */
const BATCH_LINES = 50_000;
const WINDOW_POLL_MS = 100;
const COUNT_POLL_MS = 1000;
const SEGMENT_MS = 300_000;
/** Rows before a participant's newest seen window are polled again, in case a sink writes out of order. */
const REPOLL_MS = 3_600_000;
/** Sinks commit their offsets every few seconds: this many uncommitted records still counts as idle. */
const IDLE_SINK_RECORDS = 20_000;
const IDLE_WAL_BYTES = 16 * 2 ** 20;
const BACKLOG_SAMPLE_MS = 2000;
const WAREHOUSE_TABLES = ['sensor_clean', 'gps_clean', 'activity_segments', 'activity_timeline', 'gps_episodes', 'exposure_daily'] as const;
const WINDOW_TABLES = [
  { table: 'activity_segments', topic: TOPICS.activitySegments.name },
  { table: 'activity_timeline', topic: TOPICS.activityTimeline.name },
] as const;

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got "${process.argv[i + 1]}"`);
  return value;
}

interface Batches {
  readonly participants: string[];
  readonly sensorBatches: string[];
  readonly gpsBatches: string[];
  readonly sensorRows: number;
  readonly gpsRows: number;
  readonly expected: { sensorClean: number; gpsClean: number; segments: number };
}

/** The load as the loader's CSV batches, day by day across participants (as kits and tablets upload), and what the warehouse should end with. */
function prepareLoad(load: SimulatedLoad, participantPrefix: string): Batches {
  const byDay = new Map<string, { sensor: SensorRecord[]; gps: GpsRecord[] }[]>();
  const participants = new Set<string>();
  const gpsByParticipant = new Map<string, Map<number, GpsRecord>>();
  const segments = new Set<string>();
  const sensorKeys = new Set<string>();
  for (const chunk of simulate(simulationParams(load))) {
    const participant = benchParticipantId(participantPrefix, chunk.participant.id);
    participants.add(participant);
    const sensor = chunk.sensor.map((r) => ({ ...r, participantId: participant }));
    const gps = chunk.gps.map((r) => ({ ...r, participantId: participant }));
    const day = byDay.get(chunk.day.date) ?? [];
    day.push({ sensor, gps });
    byDay.set(chunk.day.date, day);
    for (const r of sensor) {
      sensorKeys.add(`${participant}|${r.timeMs}`);
      segments.add(`${participant}|${Math.floor(r.timeMs / SEGMENT_MS)}`);
    }
    const points = gpsByParticipant.get(participant) ?? new Map<number, GpsRecord>();
    for (const r of gps) if (!points.has(r.timeMs)) points.set(r.timeMs, r);
    gpsByParticipant.set(participant, points);
  }
  let gpsClean = 0;
  for (const points of gpsByParticipant.values()) gpsClean += cleanGpsChunk(initialCleanGpsState, [...points.values()]).kept.length;
  const batches = (lines: Iterable<string>, header: string) => {
    const out: string[] = [];
    let pieces: string[] = [];
    for (const line of lines) {
      pieces.push(line);
      if (pieces.length === BATCH_LINES) {
        out.push(header + pieces.join(''));
        pieces = [];
      }
    }
    if (pieces.length > 0) out.push(header + pieces.join(''));
    return out;
  };
  const days = [...byDay.keys()].sort();
  let sensorRows = 0;
  let gpsRows = 0;
  const sensorLines = function* () {
    for (const day of days) for (const chunk of byDay.get(day) ?? []) for (const r of chunk.sensor) (sensorRows++, yield sensorCsvLine(r));
  };
  const gpsLines = function* () {
    for (const day of days) for (const chunk of byDay.get(day) ?? []) for (const r of chunk.gps) (gpsRows++, yield gpsCsvLine(r));
  };
  return {
    participants: [...participants],
    sensorBatches: batches(sensorLines(), csvHeader('sensor')),
    gpsBatches: batches(gpsLines(), csvHeader('gps')),
    sensorRows,
    gpsRows,
    expected: { sensorClean: sensorKeys.size, gpsClean, segments: segments.size },
  };
}

/** Kafka CreateTime of the first record of each window the services produce, by `participant|segment_start ms`. */
async function watchWindowCloses(kafka: Kafka, registry: SchemaRegistry, participantPrefix: string, groupId: string) {
  const closes = new Map<string, Map<string, number>>(WINDOW_TABLES.map((w) => [w.topic, new Map()]));
  const consumer = kafka.consumer({ groupId });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: WINDOW_TABLES.map((w) => w.topic), fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const key = message.key?.toString('utf8');
      if (!key?.startsWith(participantPrefix) || message.value === null) return;
      const value = (await registry.decode(message.value)) as Record<string, unknown>;
      const id = `${key}|${eventTimeMs(value.segment_start)}`;
      const seen = closes.get(topic);
      if (seen && !seen.has(id)) seen.set(id, Number(message.timestamp));
    },
  });
  await joined;
  // A new group starts at the end of each partition once its first fetch resolves the offsets.
  await sleep(3000);
  return { closes, stop: () => consumer.disconnect() };
}

interface Progress {
  readonly atMs: number;
  readonly counts: Record<string, number>;
}

/** Polls the warehouse: first time each window row is seen, and the row counts over time. */
class WarehouseWatch {
  readonly firstSeen = new Map<string, Map<string, number>>(WINDOW_TABLES.map((w) => [w.table, new Map()]));
  readonly progress: Progress[] = [];
  private readonly newest = new Map<string, Map<string, number>>(WINDOW_TABLES.map((w) => [w.table, new Map()]));
  private lastCountAt = 0;
  private insertedBefore: Record<string, number> = {};

  constructor(
    private readonly client: pg.Client,
    private readonly participants: readonly string[],
  ) {}

  async pollWindows(): Promise<void> {
    for (const { table: name } of WINDOW_TABLES) {
      const newest = this.newest.get(name) as Map<string, number>;
      const seen = this.firstSeen.get(name) as Map<string, number>;
      const after = this.participants.map((p) => new Date((newest.get(p) ?? Date.UTC(1970, 0, 2)) - REPOLL_MS).toISOString());
      const at = Date.now();
      const { rows } = await this.client.query<{ p: string; start_ms: string }>(
        `SELECT t.participant_virtual_id AS p, (extract(epoch FROM t.segment_start) * 1000)::bigint AS start_ms
           FROM unnest($1::text[], $2::timestamptz[]) AS w(participant, after)
           JOIN ${pg.escapeIdentifier(name)} t ON t.participant_virtual_id = w.participant AND t.segment_start > w.after`,
        [this.participants, after],
      );
      for (const row of rows) {
        const startMs = Number(row.start_ms);
        const id = `${row.p}|${startMs}`;
        if (!seen.has(id)) seen.set(id, at);
        if (startMs > (newest.get(row.p) ?? 0)) newest.set(row.p, startMs);
      }
    }
  }

  /** Rows each table had inserted before the load: the estimate counts from there. */
  async start(): Promise<void> {
    this.insertedBefore = await this.insertedRows();
  }

  /**
   * Progress, every COUNT_POLL_MS: the rows each table has had inserted since the load began, from
   * the statistics collector (a count(*) of the run's rows each second was a third of the
   * warehouse's statement time, beside the sinks it measures). Other writers would count too.
   */
  async pollCounts(force = false): Promise<Record<string, number> | null> {
    const now = Date.now();
    if (!force && now - this.lastCountAt < COUNT_POLL_MS) return null;
    this.lastCountAt = now;
    const inserted = await this.insertedRows();
    const counts: Record<string, number> = {};
    for (const name of WAREHOUSE_TABLES) counts[name] = (inserted[name] ?? 0) - (this.insertedBefore[name] ?? 0);
    this.progress.push({ atMs: now, counts });
    return counts;
  }

  /** The run's rows in each table, counted: whether the warehouse is complete. */
  async exactCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const name of WAREHOUSE_TABLES) {
      const { rows } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(name)} WHERE participant_virtual_id = ANY($1)`, [this.participants]);
      counts[name] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  }

  private async insertedRows(): Promise<Record<string, number>> {
    const { rows } = await this.client.query<{ relname: string; n: string }>(
      "SELECT relname, n_tup_ins::text AS n FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname = ANY($1)",
      [[...WAREHOUSE_TABLES]],
    );
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)]));
  }
}

/** kB of a /proc/<pid>/status field, or null when the process is gone. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

class MemoryWatch {
  readonly peakSampledKb = new Map<ServiceName, number>();
  readonly hwmReset = new Map<ServiceName, boolean>();
  /** Peak heap reserved and peak old space in use, from each service's /metrics. */
  readonly peakHeap = new Map<ServiceName, HeapFigures>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly pids: ReadonlyMap<ServiceName, number>,
    private readonly metricsUrls: ReadonlyMap<ServiceName, string>,
  ) {}

  start(): void {
    for (const [name, pid] of this.pids) {
      try {
        // 5: reset the peak resident set size (VmHWM) to the current one.
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        this.hwmReset.set(name, true);
      } catch {
        this.hwmReset.set(name, false);
      }
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const kb = statusKb(pid, 'VmRSS');
      if (kb !== null && kb > (this.peakSampledKb.get(name) ?? 0)) this.peakSampledKb.set(name, kb);
    }
    for (const [name, url] of this.metricsUrls) {
      fetch(url, { signal: AbortSignal.timeout(900) })
        .then((r) => r.text())
        .then((text) => {
          const heap = heapFigures(text);
          if (heap === null) return;
          const peak = this.peakHeap.get(name);
          this.peakHeap.set(name, {
            totalBytes: Math.max(heap.totalBytes, peak?.totalBytes ?? 0),
            oldSpaceUsedBytes: Math.max(heap.oldSpaceUsedBytes, peak?.oldSpaceUsedBytes ?? 0),
          });
        })
        .catch(() => undefined); // a missed sample: the next one comes a second later
    }
  }

  stop(): Record<
    string,
    { pid: number; vmHwmMiB: number | null; hwmResetAtLoadStart: boolean; peakSampledRssMiB: number | null; peakHeapMiB: number | null; peakOldSpaceUsedMiB: number | null }
  > {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const mib = (kb: number | null | undefined) => (kb === null || kb === undefined ? null : Math.round(kb / 1024));
    const out: ReturnType<MemoryWatch['stop']> = {};
    for (const [name, pid] of this.pids) {
      const heap = this.peakHeap.get(name);
      out[name] = {
        pid,
        vmHwmMiB: mib(statusKb(pid, 'VmHWM')),
        hwmResetAtLoadStart: this.hwmReset.get(name) ?? false,
        peakSampledRssMiB: mib(this.peakSampledKb.get(name)),
        peakHeapMiB: heap === undefined ? null : Math.round(heap.totalBytes / 2 ** 20),
        peakOldSpaceUsedMiB: heap === undefined ? null : Math.round(heap.oldSpaceUsedBytes / 2 ** 20),
      };
    }
    return out;
  }
}

interface Backlog {
  /** Records each service still has to read (its /health lag). */
  readonly services: Record<string, number>;
  /** Records each warehouse sink has not committed yet. */
  readonly sinks: Record<string, number>;
  /** Bytes of rawdata's write-ahead log the change-data-capture source has not confirmed. */
  readonly sourceWalBytes: number;
  /** Records on raw.sensor and raw.gps: unchanged between two looks, the source is not streaming. */
  readonly rawRecords: number;
}

const SINK_TOPICS: Readonly<Record<string, readonly string[]>> = {
  'warehouse-sink-points': [TOPICS.sensorClean.name, TOPICS.gpsClean.name, TOPICS.gpsDropped.name],
  'warehouse-sink-segments': [TOPICS.activitySegments.name, TOPICS.activityTimeline.name],
  'warehouse-sink-episodes': [TOPICS.gpsEpisodes.name],
  'warehouse-sink-exposure': [TOPICS.exposureDaily.name],
};

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

/** What the pipeline has not processed yet, per component: a run started on a busy pipeline measures the backlog too. */
async function pipelineBacklog(admin: Admin, raw: pg.Client, health: ReadonlyMap<string, string>): Promise<Backlog> {
  const services: Record<string, number> = {};
  for (const [name, url] of health) {
    const report = (await fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => r.json()).catch(() => null)) as { lag?: number | null } | null;
    services[name] = report?.lag ?? 0;
  }
  const sinks: Record<string, number> = {};
  for (const [connector, topics] of Object.entries(SINK_TOPICS)) {
    sinks[connector] = 0;
    for (const topic of topics) {
      const high = await highWatermarks(admin, topic);
      const [committed] = await admin.fetchOffsets({ groupId: `connect-${connector}`, topics: [topic] });
      for (const p of committed?.partitions ?? []) sinks[connector] += Math.max(0, (high.get(p.partition) ?? 0) - Math.max(0, Number(p.offset)));
    }
  }
  let rawRecords = 0;
  for (const topic of [TOPICS.rawSensor.name, TOPICS.rawGps.name]) for (const high of (await highWatermarks(admin, topic)).values()) rawRecords += high;
  const { rows } = await raw.query<{ behind: string | null }>(
    `SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn))::bigint AS behind FROM pg_replication_slots WHERE slot_name = $1`,
    ['polluscope_raw'],
  );
  return { services, sinks, sourceWalBytes: Number(rows[0]?.behind ?? 0), rawRecords };
}

/**
 * Idle: services caught up, sinks committed, and the source at the end of the WAL — or not
 * streaming anything: it confirms WAL only after it produced a record, so changes it filters out
 * (deletes) leave a lag that stays until the next insert.
 */
const isIdle = (b: Backlog, previous: Backlog | null) =>
  sum(b.services) === 0 && sum(b.sinks) <= IDLE_SINK_RECORDS && (b.sourceWalBytes <= IDLE_WAL_BYTES || b.rawRecords === previous?.rawRecords);
const describeBacklog = (b: Backlog) =>
  `services ${sum(b.services)} records behind, sinks ${sum(b.sinks)}, change data capture ${(b.sourceWalBytes / 2 ** 20).toFixed(0)} MiB of WAL behind`;

function serviceSetting(pid: number, name: string): string | null {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${name}=`));
    return entry ? entry.slice(name.length + 1) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const load: SimulatedLoad = {
    participants: argNumber('--participants', 30),
    days: argNumber('--days', 1),
    gpsRateHz: argNumber('--gps-rate-hz', 0.2),
    seed: argNumber('--seed', 9),
  };
  const timeoutMs = argNumber('--timeout-s', 900) * 1000;
  const waitIdleMs = argNumber('--wait-idle-s', 900) * 1000;
  const keep = process.argv.includes('--keep');
  const jfrIndex = process.argv.indexOf('--jfr');
  const jfrDir = jfrIndex >= 0 ? process.argv[jfrIndex + 1] : undefined;
  if (jfrIndex >= 0 && (jfrDir === undefined || jfrDir.startsWith('--'))) throw new Error('--jfr: expected a folder for the recording');
  const stack = loadStackConfig();
  await requireStack(stack);
  const endpoints = stackEndpoints(stack);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const participantPrefix = `bench-e2e-${run}`;

  if ((await servicesStatus(stack)).some((s) => s.state !== 'ready')) await servicesUp(stack, (line) => console.log(line));
  const pids = new Map<ServiceName, number>();
  for (const service of localServices(stack)) {
    const pid = runningPid(stack.runDir, service.name, service.spec.marker);
    if (pid !== null) pids.set(service.name, pid);
  }
  // The process at the root of each component's tree, for its CPU time.
  const cpuRoots = new Map<string, number | null>();
  for (const component of await stackStatus(stack)) cpuRoots.set(component.component, /^\d+$/.test(component.pid) ? Number(component.pid) : null);
  for (const [name, pid] of pids) cpuRoots.set(name, pid);
  cpuRoots.set('bench (this process)', process.pid);
  const idleTimeouts = Object.fromEntries([...pids].map(([name, pid]) => [name, serviceSetting(pid, 'IDLE_TIMEOUT_MS') ?? 'default (30000)']));

  const host = machine();
  console.log(describeMachine(host));
  const t0 = performance.now();
  const prepared = prepareLoad(load, participantPrefix);
  console.log(
    `${load.participants} participants × ${load.days} days (GPS ${load.gpsRateHz} Hz, seed ${load.seed}): ${prepared.sensorRows} sensor + ${prepared.gpsRows} GPS rows in ${prepared.sensorBatches.length + prepared.gpsBatches.length} batches, prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const raw = new pg.Client({ connectionString: endpoints.rawdataUrl, application_name: 'polluscope bench e2e sensor' });
  const rawGps = new pg.Client({ connectionString: endpoints.rawdataUrl, application_name: 'polluscope bench e2e gps' });
  const warehouse = new pg.Client({ connectionString: endpoints.warehouseUrl, application_name: 'polluscope bench e2e' });
  const kafka = new Kafka({ clientId: 'polluscope-bench-e2e', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.ERROR });
  const registry = new SchemaRegistry({ host: endpoints.registryUrl }, { forSchemaOptions: { wrapUnions: false } });
  await Promise.all([raw.connect(), rawGps.connect(), warehouse.connect()]);
  const admin = kafka.admin();
  await admin.connect();
  const health = new Map(localServices(stack).map((s) => [s.name, `http://${stack.host}:${s.port}/health`]));
  let previousBacklog: Backlog | null = null;
  let backlog = await pipelineBacklog(admin, raw, health);
  const waitUntil = Date.now() + waitIdleMs;
  while (!isIdle(backlog, previousBacklog) && Date.now() < waitUntil) {
    console.log(`waiting for the pipeline to be idle: ${describeBacklog(backlog)}`);
    await sleep(10_000);
    previousBacklog = backlog;
    backlog = await pipelineBacklog(admin, raw, health);
  }
  const idleAtStart = isIdle(backlog, previousBacklog);
  if (!idleAtStart) console.log(`WARNING: the pipeline is not idle (${describeBacklog(backlog)}): the figures include that backlog`);
  const closes = await watchWindowCloses(kafka, registry, participantPrefix, `bench-e2e-${run}`);
  const watch = new WarehouseWatch(warehouse, prepared.participants);
  const memory = new MemoryWatch(pids, new Map(localServices(stack).map((s) => [s.name, `http://${stack.host}:${s.port}/metrics`])));
  try {
    await watch.start();
    memory.start();
    const statementsAtStart = { warehouse: await readStatements(warehouse), rawdata: await readStatements(raw) };
    const connectPid = cpuRoots.get('connect') ?? null;
    const recording = jfrDir === undefined ? null : { pid: connectPid, name: `bench-e2e-${run}`, file: join(resolve(jfrDir), `connect-${run}.jfr`) };
    if (recording !== null) {
      if (recording.pid === null) throw new Error('--jfr: Kafka Connect is not running');
      mkdirSync(resolve(jfrDir!), { recursive: true });
      startFlightRecording(recording.pid, recording.name);
    }
    const cpuAtStart = snapshotCpu(cpuRoots);
    const loadStart = Date.now();
    let loadEnd = 0;
    let loadError: unknown = null;
    const copyAll = async (client: pg.Client, kind: 'sensor' | 'gps', batches: readonly string[]) => {
      let inserted = 0;
      for (const batch of batches) inserted += await copyCsvBatchIntoRaw(client, kind, batch);
      return inserted;
    };
    const loading = Promise.all([copyAll(raw, 'sensor', prepared.sensorBatches), copyAll(rawGps, 'gps', prepared.gpsBatches)]).then(
      (inserted) => {
        loadEnd = Date.now();
        return inserted;
      },
      (err) => {
        loadError = err;
        loadEnd = Date.now();
        return [0, 0];
      },
    );
    const expected = prepared.expected;
    let complete: number | null = null;
    let last: Record<string, number> = {};
    const backlogs: { atS: number; services: Record<string, number>; sinks: Record<string, number> }[] = [];
    let lastBacklogAt = 0;
    while (Date.now() - loadStart < timeoutMs) {
      const started = Date.now();
      await watch.pollWindows();
      if (started - lastBacklogAt >= BACKLOG_SAMPLE_MS) {
        lastBacklogAt = started;
        const b = await pipelineBacklog(admin, raw, health);
        backlogs.push({ atS: Math.round((started - loadStart) / 100) / 10, services: b.services, sinks: b.sinks });
      }
      const counts = await watch.pollCounts();
      if (counts) {
        last = counts;
        const share = (100 * ((counts.sensor_clean ?? 0) + (counts.gps_clean ?? 0))) / (expected.sensorClean + expected.gpsClean);
        const line = `${((Date.now() - loadStart) / 1000).toFixed(0)} s: ${loadEnd ? 'loaded' : 'loading'}, warehouse ${share.toFixed(1)} % of the clean rows, ${counts.activity_segments} segments, ${counts.activity_timeline} timeline rows`;
        if (process.stdout.isTTY) process.stdout.write(`\r  ${line}   `);
        else if (watch.progress.length % 10 === 1) console.log(`  ${line}`);
        if (loadError) throw loadError;
        const enough = (c: Record<string, number>) =>
          (c.sensor_clean ?? 0) >= expected.sensorClean &&
          (c.gps_clean ?? 0) >= expected.gpsClean &&
          (c.activity_segments ?? 0) >= expected.segments &&
          (c.activity_timeline ?? 0) >= expected.segments;
        // The estimate says when to count; the count says whether the warehouse is complete.
        if (loadEnd > 0 && enough(counts)) {
          const exact = await watch.exactCounts();
          last = exact;
          if (enough(exact)) {
            complete = Date.now();
            break;
          }
        }
      }
      await sleep(Math.max(0, WINDOW_POLL_MS - (Date.now() - started)));
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    const cpuAtEnd = snapshotCpu(cpuRoots);
    if (recording !== null) stopFlightRecording(recording.pid!, recording.name, recording.file);
    const statementsAtEnd = { warehouse: await readStatements(warehouse), rawdata: await readStatements(raw) };
    const [sensorInserted, gpsInserted] = await loading;
    await watch.pollWindows();
    const rss = memory.stop();
    const rawRecords = (sensorInserted ?? 0) + (gpsInserted ?? 0);
    const cpu = cpuBetween(cpuAtStart, cpuAtEnd, clockTicksPerSecond());
    const coreSeconds = (host.cores * (cpuAtEnd.atMs - cpuAtStart.atMs)) / 1000;
    const cpuPerThousand = (seconds: number) => (rawRecords > 0 ? (seconds * 1000) / rawRecords : null);
    const cpuBudget = [...cpu.components, { component: 'other (rest of the machine)', cpuSeconds: cpu.otherSeconds }].map((c) => ({
      ...c,
      perThousandRecords: c.cpuSeconds === null ? null : cpuPerThousand(c.cpuSeconds),
      shareOfCores: c.cpuSeconds === null || coreSeconds <= 0 ? null : c.cpuSeconds / coreSeconds,
    }));

    const curve = watch.progress.map((p) => ({ atMs: p.atMs, share: ((p.counts.sensor_clean ?? 0) + (p.counts.gps_clean ?? 0)) / (expected.sensorClean + expected.gpsClean) }));
    const at10 = timeAtShare(curve, 0.1);
    const at90 = timeAtShare(curve, 0.9);
    const sustainedPerS = at10 !== null && at90 !== null && at90 > at10 ? (rawRecords * 0.8 * 1000) / (at90 - at10) : null;
    const windows = WINDOW_TABLES.map(({ table: name, topic }) => {
      const seen = watch.firstSeen.get(name) as Map<string, number>;
      const closed = closes.closes.get(topic) as Map<string, number>;
      const latencies: number[] = [];
      for (const [id, at] of seen) {
        const close = closed.get(id);
        if (close !== undefined) latencies.push(Math.max(0, at - close));
      }
      return {
        table: name,
        rows: seen.size,
        withCloseTime: latencies.length,
        p50Ms: Math.round(percentile(latencies, 50)),
        p99Ms: Math.round(percentile(latencies, 99)),
        maxMs: latencies.length > 0 ? Math.max(...latencies) : null,
      };
    });
    // Where records queued during the run: the slowest component has the largest backlog.
    const largest: Record<string, number> = {};
    for (const b of backlogs) {
      for (const [name, lag] of [...Object.entries(b.services), ...Object.entries(b.sinks)]) largest[name] = Math.max(largest[name] ?? 0, lag);
    }
    const result = {
      load,
      run,
      rawRecords: { sensor: sensorInserted, gps: gpsInserted },
      expected,
      finalCounts: last,
      complete: complete !== null,
      loadSeconds: (loadEnd - loadStart) / 1000,
      loadRowsPerS: Math.round((rawRecords * 1000) / (loadEnd - loadStart)),
      secondsToWarehouseComplete: complete === null ? null : (complete - loadStart) / 1000,
      drainSecondsAfterLoad: complete === null ? null : (complete - loadEnd) / 1000,
      overallRecordsPerS: complete === null ? null : Math.round((rawRecords * 1000) / (complete - loadStart)),
      sustainedRecordsPerS: sustainedPerS === null ? null : Math.round(sustainedPerS),
      targetRecordsPerS: TARGET_RECORDS_PER_S,
      windowCloseToWarehouse: windows,
      targetP99Ms: TARGET_P99_MS,
      windowPollMs: WINDOW_POLL_MS,
      backlogAtStart: { ...backlog, idle: idleAtStart },
      largestBacklog: largest,
      backlogs,
      serviceIdleTimeoutMs: idleTimeouts,
      peakRss: rss,
      statements: statementCosts(statementsAtStart, statementsAtEnd),
      cpu: { seconds: (cpuAtEnd.atMs - cpuAtStart.atMs) / 1000, machineBusySeconds: cpu.machineSeconds, coreSeconds, components: cpuBudget },
    };
    console.log(
      `\nrawdata: ${rawRecords} rows in ${result.loadSeconds.toFixed(1)} s (${formatCount(result.loadRowsPerS)} rows/s through the loader's copy)` +
        `\nwarehouse complete: ${complete === null ? `NO, not within ${timeoutMs / 1000} s (${JSON.stringify(last)}; expected ${JSON.stringify(expected)})` : `${result.secondsToWarehouseComplete?.toFixed(1)} s after the first copy, ${result.drainSecondsAfterLoad?.toFixed(1)} s after the last (services' idle timeout: ${JSON.stringify(idleTimeouts)})`}`,
    );
    console.log(
      `\n${table(
        ['figure', 'value', 'target'],
        [
          ['sustained raw records/s (10 → 90 % of clean rows)', sustainedPerS === null ? '-' : formatCount(sustainedPerS), `≥ ${formatCount(TARGET_RECORDS_PER_S)}${sustainedPerS !== null && sustainedPerS >= TARGET_RECORDS_PER_S ? ' ok' : ' below'}`],
          ['raw records/s, first COPY → warehouse complete', result.overallRecordsPerS === null ? '-' : formatCount(result.overallRecordsPerS), ''],
          ...windows.flatMap((w) => [
            [`${w.table}: window close → row, p50 (n = ${w.withCloseTime})`, `${w.p50Ms} ms`, ''],
            [`${w.table}: window close → row, p99`, `${w.p99Ms} ms`, `≤ ${TARGET_P99_MS} ms${w.p99Ms <= TARGET_P99_MS ? ' ok' : ' below'}`],
          ]),
          ...SERVICE_NAMES.map((name) => {
            const r = rss[name];
            const hwm = r?.hwmResetAtLoadStart ? r.vmHwmMiB : r?.peakSampledRssMiB;
            const heap = r?.peakHeapMiB === null || r?.peakHeapMiB === undefined ? '' : ` (heap ${r.peakHeapMiB}, old space used ${r.peakOldSpaceUsedMiB})`;
            return [`peak RSS ${name}`, hwm === null || hwm === undefined ? '-' : `${hwm} MiB${heap}`, `≤ ${TARGET_RSS_MIB} MiB${hwm !== null && hwm !== undefined && hwm <= TARGET_RSS_MIB ? ' ok' : ' below'}`];
          }),
        ],
      )}`,
    );
    const byCost = [...cpuBudget].sort((a, b) => (b.cpuSeconds ?? -1) - (a.cpuSeconds ?? -1));
    console.log(
      `\nCPU between the first copy into rawdata and a complete warehouse (${result.cpu.seconds.toFixed(1)} s × ${host.cores} cores = ${coreSeconds.toFixed(1)} core-seconds, ${cpu.machineSeconds.toFixed(1)} busy):\n${table(
        ['component', 'CPU s', 'CPU s per 1,000 raw records', 'share of the cores'],
        byCost.map((c) => [
          c.component,
          c.cpuSeconds === null ? '- (not running throughout)' : c.cpuSeconds.toFixed(1),
          c.perThousandRecords === null ? '-' : c.perThousandRecords.toFixed(4),
          c.shareOfCores === null ? '-' : `${(100 * c.shareOfCores).toFixed(1)} %`,
        ]),
      )}`,
    );
    for (const [database, costs] of Object.entries(result.statements)) {
      if (typeof costs === 'string') {
        console.log(`\n${database}: ${costs}`);
        continue;
      }
      console.log(
        `\n${database}: the statements that took its time over the run (pg_stat_statements):\n${table(
          ['statement', 'role', 'calls', 'rows', 'exec s', 'share'],
          costs.slice(0, 8).map((c) => [statementLine(c.query, 70), c.role, formatCount(c.calls), formatCount(c.rows), (c.execMs / 1000).toFixed(1), `${(100 * c.share).toFixed(1)} %`]),
        )}`,
      );
    }
    const queued = Object.entries(largest).filter(([, lag]) => lag > 0).sort((a, b) => b[1] - a[1]);
    console.log(`\nlargest backlog during the run (records not yet read or committed): ${queued.length === 0 ? 'none' : queued.map(([name, lag]) => `${name} ${formatCount(lag)}`).join(', ')}`);
    let connectProfile: RecordingSummary | null = null;
    if (recording !== null) {
      connectProfile = summariseSamples(await readExecutionSamples(recording.file));
      console.log(`\nKafka Connect, Java Flight Recording ${recording.file}:\n${formatRecordingSummary(connectProfile)}`);
    }
    const file = writeResults('e2e', { machine: host, ...result, ...(connectProfile === null ? {} : { connectProfile }) });
    console.log(`\nresults: ${file}`);
  } finally {
    memory.stop();
    await closes.stop();
    await admin.deleteGroups([`bench-e2e-${run}`]).catch(() => undefined);
    await admin.disconnect();
    if (!keep) {
      for (const name of WAREHOUSE_TABLES) await warehouse.query(`DELETE FROM ${pg.escapeIdentifier(name)} WHERE participant_virtual_id = ANY($1)`, [prepared.participants]);
      for (const name of ['sensor_measurements', 'gps_positions']) await raw.query(`DELETE FROM ${pg.escapeIdentifier(name)} WHERE participant_virtual_id = ANY($1)`, [prepared.participants]);
      console.log(`deleted the run's rows (participants ${participantPrefix}-*) from rawdata and the warehouse`);
    }
    await Promise.all([raw.end(), rawGps.end(), warehouse.end()]);
  }
}

type Statements = Record<'warehouse' | 'rawdata', StatementStats[] | string>;

/** Per database, the run's statements by cost, or why they could not be read. */
function statementCosts(before: Statements, after: Statements) {
  const between = (b: StatementStats[] | string, a: StatementStats[] | string) => (typeof a === 'string' ? a : typeof b === 'string' ? b : statementsBetween(b, a));
  return { warehouse: between(before.warehouse, after.warehouse), rawdata: between(before.rawdata, after.rawdata) };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
