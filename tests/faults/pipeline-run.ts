/**
 * One run of a fixed simulated dataset through the real pipeline, optionally under a fault, and
 * the warehouse rows it produced. The dataset (simulator, fixed seed) is inserted into rawdata in
 * time-ordered slices a little apart, as live kits would send it, so a fault injected after a
 * few slices happens mid-stream with data still arriving. Every run renames the participants with
 * its own prefix, so runs never share rows and can be compared row for row once the prefix is
 * taken away.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { SERVICE_NAMES } from '@polluscope/common';
import { writeSimulation } from '../../cli/src/commands/simulate.js';
import { readConnectorFiles } from '../../cli/src/infra/connectors.js';
import { servicePort } from '../../cli/src/infra/services.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { defaultSimulationParams } from '../../cli/src/simulator/index.js';
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

export const SLICES = 12;
const SLICE_INTERVAL_MS = 1500;
/** Slice after which the fault starts: the stream has begun and most of it is still to come. */
export const FAULT_AFTER_SLICE = 3;

export interface FaultDataset {
  readonly sensorHeader: string;
  readonly gpsHeader: string;
  /** Lines of each slice, participant ids as the simulator wrote them (`sim-NNN`). */
  readonly sensorSlices: readonly (readonly string[])[];
  readonly gpsSlices: readonly (readonly string[])[];
  readonly sensorRows: number;
  readonly gpsRows: number;
}

const SIMULATED_ID = /^sim-/;

/** Splits CSV lines into `slices` consecutive event-time ranges (time is the third column, ISO text). */
function sliceByTime(lines: readonly string[], slices: number): string[][] {
  const timeOf = (line: string) => line.split(',', 3)[2] ?? '';
  const sorted = [...lines].sort((a, b) => (timeOf(a) < timeOf(b) ? -1 : timeOf(a) > timeOf(b) ? 1 : 0));
  const first = Date.parse(timeOf(sorted[0] ?? ''));
  const last = Date.parse(timeOf(sorted.at(-1) ?? ''));
  const width = (last - first + 1) / slices;
  const out: string[][] = Array.from({ length: slices }, () => []);
  for (const line of sorted) out[Math.min(slices - 1, Math.floor((Date.parse(timeOf(line)) - first) / width))]!.push(line);
  return out;
}

/** Two simulated participants over one day (seed 11, GPS every 5 s): about 2,900 sensor minutes and 30,000 fixes. */
export async function buildFaultDataset(): Promise<FaultDataset> {
  const dir = await mkdtemp(join(tmpdir(), 'polluscope-faults-'));
  try {
    const summary = await writeSimulation({ ...defaultSimulationParams, participants: 2, days: 1, seed: 11, gpsRateHz: 0.2 }, dir);
    const read = async (file: string) => {
      const [header = '', ...lines] = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
      return { header, lines };
    };
    const sensor = await read(summary.files.sensor);
    const gps = await read(summary.files.gps);
    return {
      sensorHeader: sensor.header,
      gpsHeader: gps.header,
      sensorSlices: sliceByTime(sensor.lines, SLICES),
      gpsSlices: sliceByTime(gps.lines, SLICES),
      sensorRows: sensor.lines.length,
      gpsRows: gps.lines.length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A participant-id prefix no earlier run used: `flt-<run>-<case>-`. */
export function runPrefix(caseName: string): string {
  return `flt-${Date.now().toString(36)}-${caseName}-`;
}

function renamed(lines: readonly string[], prefix: string): string {
  return lines.map((line) => line.replace(SIMULATED_ID, prefix)).join('\n') + '\n';
}

/**
 * Inserts the dataset slice by slice under `prefix`; `fault` (if any) starts after slice
 * FAULT_AFTER_SLICE and runs while the later slices go in. Resolves when both are done.
 */
export async function feedDataset(raw: pg.Pool, dataset: FaultDataset, prefix: string, fault?: () => Promise<void>): Promise<void> {
  let faultDone: Promise<void> = Promise.resolve();
  const client = await raw.connect();
  try {
    for (let i = 0; i < SLICES; i++) {
      const sensor = dataset.sensorSlices[i] ?? [];
      const gps = dataset.gpsSlices[i] ?? [];
      if (sensor.length > 0) await copyCsvIntoRaw(client, 'sensor', `${dataset.sensorHeader}\n${renamed(sensor, prefix)}`);
      if (gps.length > 0) await copyCsvIntoRaw(client, 'gps', `${dataset.gpsHeader}\n${renamed(gps, prefix)}`);
      if (i === FAULT_AFTER_SLICE && fault) faultDone = fault();
      await sleep(SLICE_INTERVAL_MS);
    }
  } finally {
    client.release();
  }
  await faultDone;
}

interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly lag: number;
}

/** The sink connectors' consumer groups and the topics each reads. */
function sinkGroups(): ReadonlyArray<{ readonly group: string; readonly topics: readonly string[] }> {
  return readConnectorFiles(stackConfig.repoRoot)
    .filter((c) => typeof c.config.topics === 'string')
    .map((c) => ({ group: `connect-${c.name}`, topics: c.config.topics!.split(',').map((t) => t.trim()) }));
}

/** What each sink connector still has to write and commit, per topic (0 everywhere = all written). */
export async function sinkLag(): Promise<GroupLag[]> {
  const kafka = new Kafka({ clientId: 'polluscope-fault-suite', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lags: GroupLag[] = [];
    for (const { group, topics } of sinkGroups()) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics: [...topics] })) {
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

/**
 * What each service still has to do, from its /health: records fetched but not yet processed, and
 * participants whose windows are still open (their tails come out at the next idle flush).
 * (Committed offsets cannot tell: a service keeps the rows a participant's next window needs as
 * context, and commits below them, by design.)
 */
export async function serviceBacklog(): Promise<Record<string, { lag: number; open: number }>> {
  const backlog: Record<string, { lag: number; open: number }> = {};
  for (const name of SERVICE_NAMES) {
    const response = await fetch(`http://${stackConfig.host}:${servicePort(stackConfig, name)}/health`);
    const body = (await response.json()) as { ready: boolean; lag: number; consumer: { openParticipants: number } | null };
    backlog[name] = body.ready ? { lag: body.lag, open: body.consumer?.openParticipants ?? 0 } : { lag: Number.POSITIVE_INFINITY, open: Number.POSITIVE_INFINITY };
  }
  return backlog;
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
 * Waits until, for `quietMs` on end (longer than the services' idle timeout, so the tails they
 * flush on idleness are written too), every service has processed all it fetched and flushed
 * every participant's tail, every sink has committed everything, and the run's row counts have
 * not moved. (Counts alone are not enough: a flush that only rewrites existing rows moves no
 * count, and the next service's flush of its tail comes an idle timeout later.) Throws after `timeoutMs`
 * naming what was still pending.
 */
export async function waitForDrain(
  warehouse: pg.Pool,
  prefix: string,
  options: { readonly quietMs: number; readonly timeoutMs: number },
): Promise<Record<string, number>> {
  const deadline = Date.now() + options.timeoutMs;
  let previous = '';
  let quietSince = Date.now();
  let pending: unknown = null;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    try {
      const services = Object.entries(await serviceBacklog()).filter(([, { lag, open }]) => lag > 0 || open > 0);
      const sinks = (await sinkLag()).filter((l) => l.lag > 0);
      counts = await countRows(warehouse, prefix);
      pending = services.length + sinks.length > 0 ? { services, sinks } : null;
    } catch (err) {
      // The broker, a service or the warehouse may still be coming back from a fault.
      pending = String(err);
    }
    const text = JSON.stringify(counts);
    if (pending !== null || text !== previous) quietSince = Date.now();
    else if (Date.now() - quietSince >= options.quietMs) return counts;
    previous = text;
    await sleep(3000);
  }
  throw new Error(`the pipeline did not drain within ${options.timeoutMs / 1000} s: pending ${JSON.stringify(pending)}, rows ${JSON.stringify(counts)}`);
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
