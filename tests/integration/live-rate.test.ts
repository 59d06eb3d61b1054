/**
 * The live guarantee (docs/design.md §4) on the real stack, time-scaled: the services run with a 1 s
 * idle timeout and a simulated volunteer's 150 sensor minutes and 30 minutes of GPS at 0.2 Hz are
 * inserted into rawdata the way a kit sends them — one sensor row at a time, slower than the idle
 * timeout, fixes in groups of at most six with a pause longer than the idle timeout between
 * groups — so an idle flush fires between nearly every pair of records. The warehouse rows must
 * equal those of the same records inserted at once, and those of the CLI's functions on the same
 * lines; then again with a SIGTERM and a kill -9 of every service at seeded random moments.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, SERVICE_NAMES, type ServiceName } from '@polluscope/common';
import { cleanSensorSeries, type SensorRow } from '@polluscope/timeseries-preprocessing/domain';
import { defaultStayPointParams } from '@polluscope/stop-move-detection/domain';
import { detectEpisodes, type GpsRow } from '../../cli/src/commands/gps.js';
import { servicesDown, servicesUp } from '../../cli/src/infra/services.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { rasterCell } from '@polluscope/gps-preprocessing/domain';
import { killService, terminateService } from '../faults/faults.js';
import { leavesHomeMs, simulateDay, timeOf } from '../faults/kit-feed.js';
import { snapshot, STREAM_TABLES, waitForDrain } from '../faults/pipeline-run.js';
import { describeDiff, diffTable, isIdentical, type Row } from '../faults/table-diff.js';
import { TEST_IDLE_TIMEOUT_MS } from './global-setup.js';
import { rawdata, stackConfig, warehouse } from './stack.js';

const LIVE_IDLE_TIMEOUT_MS = 1000;
const liveEnv: NodeJS.ProcessEnv = { ...process.env, IDLE_TIMEOUT_MS: String(LIVE_IDLE_TIMEOUT_MS), LOG_LEVEL: 'info' };
/** Wall time between two records of a trickle: longer than the idle timeout. */
const PAUSE_MS = Math.round(LIVE_IDLE_TIMEOUT_MS * 1.3);
const FIXES_PER_GROUP = 6;
const SENSOR_MINUTES = 150;
const GPS_MINUTES = 30;
const SEED = 20261206;
const log = (line: string) => console.log(`[live-rate] ${line}`);

interface Dataset {
  readonly sensorHeader: string;
  readonly gpsHeader: string;
  readonly sensor: readonly string[];
  readonly gps: readonly string[];
}

/** 150 minutes of one simulated volunteer around the morning trip, and 30 minutes of its GPS. */
async function buildDataset(): Promise<Dataset> {
  const { sensor, gps } = await simulateDay(1, 0.2);
  // The first 30 minutes with a fix every 5 s from the morning trip on, and 150 sensor minutes
  // around them (the trip, the office).
  const leaveMs = leavesHomeMs(sensor);
  const times = gps.lines.map(timeOf);
  const perWindow = (GPS_MINUTES * 60) / 5;
  const first = times.findIndex(
    (t, i) => t >= leaveMs - 10 * 60_000 && i + perWindow - 1 < times.length && times[i + perWindow - 1]! - t === (perWindow - 1) * 5000,
  );
  if (first < 0) throw new Error('the simulated day has no 30 minutes of continuous GPS');
  const from = times[first]! - 40 * 60_000;
  return {
    sensorHeader: sensor.header,
    gpsHeader: gps.header,
    sensor: sensor.lines.filter((l) => timeOf(l) >= from && timeOf(l) < from + SENSOR_MINUTES * 60_000),
    gps: gps.lines.slice(first, first + perWindow),
  };
}

const renamed = (lines: readonly string[], participant: string) => lines.map((l) => l.replace(/^[^,]*/, participant));

/** Every record at once: the batch result. */
async function insertAtOnce(raw: pg.Pool, data: Dataset, participant: string): Promise<void> {
  const client = await raw.connect();
  try {
    await copyCsvIntoRaw(client, 'sensor', `${data.sensorHeader}\n${renamed(data.sensor, participant).join('\n')}\n`);
    await copyCsvIntoRaw(client, 'gps', `${data.gpsHeader}\n${renamed(data.gps, participant).join('\n')}\n`);
  } finally {
    client.release();
  }
}

/**
 * In event-time order as a kit sends it: each sensor row alone, each group of fixes alone, a
 * pause longer than the idle timeout after each. `onStep(i)` runs before step i (faults).
 */
async function trickle(raw: pg.Pool, data: Dataset, participant: string, onStep: (step: number) => void = () => {}): Promise<number> {
  const steps: { kind: 'sensor' | 'gps'; lines: string[]; timeMs: number }[] = [];
  for (const line of data.sensor) steps.push({ kind: 'sensor', lines: [line], timeMs: timeOf(line) });
  for (let i = 0; i < data.gps.length; i += FIXES_PER_GROUP) {
    const group = data.gps.slice(i, i + FIXES_PER_GROUP);
    steps.push({ kind: 'gps', lines: group, timeMs: timeOf(group.at(-1)!) });
  }
  steps.sort((a, b) => a.timeMs - b.timeMs);
  const client = await raw.connect();
  try {
    for (const [i, step] of steps.entries()) {
      onStep(i);
      const header = step.kind === 'sensor' ? data.sensorHeader : data.gpsHeader;
      await copyCsvIntoRaw(client, step.kind, `${header}\n${renamed(step.lines, participant).join('\n')}\n`);
      await sleep(PAUSE_MS);
    }
  } finally {
    client.release();
  }
  return steps.length;
}

async function drained(wh: pg.Pool, prefix: string): Promise<Map<string, Row[]>> {
  const counts = await waitForDrain(wh, prefix, { quietMs: 10_000, timeoutMs: 300_000 });
  log(`${prefix}: ${JSON.stringify(counts)}`);
  return snapshot(wh, prefix);
}

function differences(reference: Map<string, Row[]>, run: Map<string, Row[]>): string {
  const reports: string[] = [];
  for (const { table, key } of STREAM_TABLES) {
    const diff = diffTable(table, key, reference.get(table) ?? [], run.get(table) ?? []);
    if (!isIdentical(diff)) reports.push(describeDiff(diff, key));
  }
  return reports.join('\n');
}


const csvValue = (text: string | undefined) => (text === undefined || text === '' ? null : text);
const numberOrNull = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));

/** What `polluscope sensors clean` computes on these lines (the same function the CLI calls). */
function cliSensorClean(data: Dataset): Map<number, Record<string, unknown>> {
  const columns = data.sensorHeader.split(',');
  const at = (values: string[], name: string) => values[columns.indexOf(name)];
  const rows: SensorRow[] = data.sensor.map((line) => {
    const values = line.split(',');
    return {
      timeMs: timeOf(line),
      pm1: numberOrNull(at(values, 'pm1')),
      pm25: numberOrNull(at(values, 'pm25')),
      pm10: numberOrNull(at(values, 'pm10')),
      no2: numberOrNull(at(values, 'no2')),
      bc: numberOrNull(at(values, 'bc')),
      temperature: numberOrNull(at(values, 'temperature')),
      humidity: numberOrNull(at(values, 'humidity')),
      activity: csvValue(at(values, 'activity')),
      event: csvValue(at(values, 'event')),
    };
  });
  return new Map(cleanSensorSeries(rows).map((r) => [r.timeMs, { ...r }]));
}

/** Episodes `polluscope gps stops` finds on these lines: type, start, end, point count. */
function cliEpisodes(data: Dataset): string[] {
  const rows: GpsRow[] = data.gps.map((line, row) => {
    const [, , , lat, lon] = line.split(',');
    const point = { timeMs: timeOf(line), lat: Number(lat), lon: Number(lon) };
    return { participant: 'p', row, ...point, hilbert: rasterCell(point.lat, point.lon)?.hilbert ?? null };
  });
  const [found] = detectEpisodes(rows, { method: 'stay-point', stayPoint: defaultStayPointParams, transportModel: null });
  return (found?.episodes ?? []).map((e) => `${e.type} ${new Date(e.startMs).toISOString()} ${new Date(e.endMs).toISOString()} ${e.pointCount}`);
}

const ms = (value: unknown) => (value instanceof Date ? value.getTime() : Number(value));

describe('live rates: a kit sending a row a minute, the idle timeout firing between records', () => {
  let raw: pg.Pool;
  let wh: pg.Pool;
  let data: Dataset;
  let reference: Map<string, Row[]>;
  const run = `lr-${Date.now().toString(36)}-`;

  beforeAll(async () => {
    raw = rawdata();
    wh = warehouse();
    data = await buildDataset();
    log(`${data.sensor.length} sensor minutes, ${data.gps.length} fixes`);
    await servicesDown(stackConfig, log);
    await servicesUp(stackConfig, log, liveEnv);
    await insertAtOnce(raw, data, `${run}once`);
    reference = await drained(wh, `${run}once`);
  });

  afterAll(async () => {
    await servicesDown(stackConfig, log);
    await servicesUp(stackConfig, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' });
    await raw?.end();
    await wh?.end();
  });

  it('the batch run matches the input and the CLI', () => {
    expect(data.sensor.length).toBe(SENSOR_MINUTES);
    expect(data.gps.length).toBe((GPS_MINUTES * 60) / 5);
    const sensor = reference.get('sensor_clean')!;
    const cli = cliSensorClean(data);
    expect(sensor.map((r) => ms(r.time))).toEqual([...cli.keys()]);
    const mismatches = sensor.filter((r) => {
      const c = cli.get(ms(r.time))!;
      return ['pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity'].some(
        (v) => r[v] !== c[v] || r[`imputed_${v}`] !== c[`imputed_${v}`],
      ) || (r.quality_flags ?? '') !== c.qualityFlags;
    });
    expect(mismatches, 'sensor_clean rows that differ from `polluscope sensors clean`').toEqual([]);
    const episodes = reference.get('gps_episodes')!.map((e) => `${e.episode_type} ${new Date(ms(e.episode_start)).toISOString()} ${new Date(ms(e.episode_end)).toISOString()} ${e.point_count}`);
    expect(episodes).toEqual(cliEpisodes(data));
    expect(reference.get('activity_timeline')!.length).toBe(reference.get('activity_segments')!.length);
  });

  it('one record at a time, slower than the idle timeout, gives the same warehouse rows', { timeout: 600_000 }, async () => {
    const steps = await trickle(raw, data, `${run}live`);
    log(`trickled ${steps} inserts`);
    expect(differences(reference, await drained(wh, `${run}live`)), 'tables that differ from the batch run').toBe('');
  });

  it('the same with a SIGTERM and a kill -9 of every service at seeded random moments', { timeout: 900_000 }, async () => {
    const next = mulberry32(SEED);
    const stepsTotal = data.sensor.length + Math.ceil(data.gps.length / FIXES_PER_GROUP);
    const faults = new Map<number, { service: ServiceName; kind: 'SIGTERM' | 'SIGKILL' }[]>();
    for (const service of SERVICE_NAMES) {
      for (const kind of ['SIGTERM', 'SIGKILL'] as const) {
        const step = 5 + Math.floor(next() * (stepsTotal - 10));
        faults.set(step, [...(faults.get(step) ?? []), { service, kind }]);
      }
    }
    log(`faults (seed ${SEED}): ${JSON.stringify([...faults].sort(([a], [b]) => a - b))}`);
    // One fault at a time, while the records keep coming.
    let chain: Promise<void> = Promise.resolve();
    await trickle(raw, data, `${run}fault`, (step) => {
      for (const fault of faults.get(step) ?? []) {
        chain = chain.then(() => (fault.kind === 'SIGKILL' ? killService(fault.service, liveEnv) : terminateService(fault.service, liveEnv)));
      }
    });
    await chain;
    expect(differences(reference, await drained(wh, `${run}fault`)), 'tables that differ from the batch run').toBe('');
  });
});
