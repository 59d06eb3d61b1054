/**
 * A long stop does not pin stop-move-detection's committed offset (docs/stream-runtime.md,
 * "Changelog"): a participant drives in and stays 3 h at one place (0.2 Hz); once the stop's
 * snapshot is in `stop-move-detection.changelog`, the group's commit holds the participant from
 * past the stop's first fixes. The service is then stopped and started again (SIGTERM): it
 * restores the stop from the changelog, the next 3 h and the drive away arrive, and gps_episodes
 * equals what `polluscope gps stops` finds on the same fixes.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changelogTopic, parseCommitMetadata, TOPICS } from '@polluscope/common';
import { rasterCell } from '@polluscope/gps-preprocessing/domain';
import { defaultStayPointParams } from '@polluscope/stop-move-detection/domain';
import { detectEpisodes, type GpsRow } from '../../cli/src/commands/gps.js';
import { kafkaClient, readRecords } from '../../cli/src/operations/kafka-records.js';
import { terminateService } from '../faults/faults.js';
import { TEST_IDLE_TIMEOUT_MS } from './global-setup.js';
import { endpoints, eventually, freshParticipant, rawdata, warehouse } from './stack.js';

const SERVICE = 'stop-move-detection';
/** The suite's services' environment (global-setup.ts), kept across the restart. */
const suiteEnv: NodeJS.ProcessEnv = { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' };
const START_MS = Date.UTC(2026, 4, 13, 6, 0, 0); // Wednesday 13 May 2026, 08:00 in Paris
const LAT0 = 48.8466;
const LON0 = 2.3522;
const FIX_S = 5;
const STAY_FIXES = (3 * 3600) / FIX_S; // 2,160 per half: 3 h at 0.2 Hz
/** A snapshot at most every 30 s of processing time, then the idle flushes and the commit. */
const SNAPSHOT_TIMEOUT_MS = 180_000;
const ARRIVAL_TIMEOUT_MS = 300_000;

interface Fix {
  readonly time: Date;
  readonly lat: number;
  readonly lon: number;
}

/** A fix `eastM`, `northM` metres from the stay's place, `s` seconds after START_MS. */
const fix = (eastM: number, northM: number, s: number): Fix => ({
  time: new Date(START_MS + s * 1000),
  lat: LAT0 + northM / 111_320,
  lon: LON0 + eastM / (111_320 * Math.cos((LAT0 * Math.PI) / 180)),
});

/** Driving in from 2 km west (20 fixes, 100 m apart), 6 h within 12 m of one place, driving away east. */
const driveIn = Array.from({ length: 20 }, (_, k) => fix(-2000 + 100 * k, 0, FIX_S * k));
const stay = Array.from({ length: 2 * STAY_FIXES }, (_, j) => fix(12 * Math.sin(j * 1.7), 12 * Math.cos(j * 2.3), 100 + FIX_S * j));
const leaveS = 100 + FIX_S * 2 * STAY_FIXES;
const driveAway = Array.from({ length: 20 }, (_, k) => fix(100 * (k + 1), 0, leaveS + FIX_S * (k + 1)));
const firstPart = [...driveIn, ...stay.slice(0, STAY_FIXES)];
const secondPart = [...stay.slice(STAY_FIXES), ...driveAway];
const allFixes = [...firstPart, ...secondPart];

const participant = freshParticipant('stop-changelog');
const raw = rawdata();
const wh = warehouse();
const kafka = new Kafka({ clientId: 'it-stop-changelog', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const admin = kafka.admin();

async function insert(fixes: readonly Fix[]): Promise<void> {
  await raw.query(
    `INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon)
     SELECT $1, 7, t, lat, lon FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS f (t, lat, lon)`,
    [participant, fixes.map((f) => f.time), fixes.map((f) => f.lat), fixes.map((f) => f.lon)],
  );
}

async function cleanCount(): Promise<number> {
  const { rows } = await wh.query<{ n: number }>('SELECT count(*)::int AS n FROM gps_clean WHERE participant_virtual_id = $1', [participant]);
  return rows[0]!.n;
}

/** The participant's fixes on gps.clean: their partition and offsets, in time order. */
async function cleanOffsets(): Promise<{ partition: number; offsets: number[] }> {
  const records = (await readRecords(kafkaClient(endpoints.kafkaBrokers), [TOPICS.gpsClean.name], { timeoutMs: 120_000 })).filter(
    (r) => r.message.key?.toString('utf8') === participant,
  );
  const partitions = new Set(records.map((r) => r.partition));
  if (partitions.size !== 1) throw new Error(`${participant} is in ${partitions.size} partitions of gps.clean`);
  return { partition: records[0]!.partition, offsets: records.map((r) => Number(r.message.offset)) };
}

/** Where the group's last commit holds the participant from (its commit metadata), or null. */
async function heldFrom(partition: number): Promise<{ committed: number; held: number | null }> {
  const [topic] = await admin.fetchOffsets({ groupId: SERVICE, topics: [TOPICS.gpsClean.name] });
  const point = topic?.partitions.find((p) => p.partition === partition);
  const held = parseCommitMetadata(point?.metadata).held;
  return { committed: Number(point?.offset ?? -1), held: held?.get(participant) ?? null };
}

/** Episodes as `type start end points`, from gps_episodes. */
async function warehouseEpisodes(): Promise<string[]> {
  const { rows } = await wh.query<{ episode_type: string; episode_start: Date; episode_end: Date; point_count: number }>(
    'SELECT episode_type, episode_start, episode_end, point_count FROM gps_episodes WHERE participant_virtual_id = $1 ORDER BY episode_start',
    [participant],
  );
  return rows.map((e) => `${e.episode_type} ${e.episode_start.toISOString()} ${e.episode_end.toISOString()} ${e.point_count}`);
}

/** Episodes `polluscope gps stops` finds on the same fixes. */
function cliEpisodes(): string[] {
  const rows: GpsRow[] = allFixes.map((f, row) => ({ participant, row, timeMs: f.time.getTime(), lat: f.lat, lon: f.lon, hilbert: rasterCell(f.lat, f.lon)?.hilbert ?? null }));
  const [found] = detectEpisodes(rows, { method: 'stay-point', stayPoint: defaultStayPointParams, transportModel: null });
  return (found?.episodes ?? []).map((e) => `${e.type} ${new Date(e.startMs).toISOString()} ${new Date(e.endMs).toISOString()} ${e.pointCount}`);
}

let stopStart: { partition: number; hundredthFix: number };
let beforeRestart: { committed: number; held: number | null };

beforeAll(async () => {
  await admin.connect();
  await insert(firstPart);
  await eventually(`${participant}: ${firstPart.length} fixes in gps_clean`, ARRIVAL_TIMEOUT_MS, cleanCount, (n) => n === firstPart.length);
  const { partition, offsets } = await cleanOffsets();
  // The stay's 100th fix: well inside the stop, after the move whose first fix the commit used to hold.
  stopStart = { partition, hundredthFix: offsets[driveIn.length + 99]! };
  beforeRestart = await eventually(
    `${participant}: the group's commit holds it from past the stop's 100th fix (offset ${stopStart.hundredthFix})`,
    SNAPSHOT_TIMEOUT_MS,
    () => heldFrom(partition),
    (h) => h.held !== null && h.held > stopStart.hundredthFix,
  );
  await terminateService(SERVICE, suiteEnv);
  await insert(secondPart);
  await eventually(`${participant}: ${allFixes.length} fixes in gps_clean`, ARRIVAL_TIMEOUT_MS, cleanCount, (n) => n === allFixes.length);
}, SNAPSHOT_TIMEOUT_MS + 2 * ARRIVAL_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await admin.disconnect();
  await Promise.all([raw.end(), wh.end()]);
});

describe('a long stop and stop-move-detection\'s committed offset', () => {
  it('had the stop\'s snapshot in the changelog, in the partition of the participant\'s fixes', async () => {
    const snapshots = (await readRecords(kafkaClient(endpoints.kafkaBrokers), [changelogTopic(SERVICE).name], { timeoutMs: 120_000 })).filter(
      (r) => r.message.key?.toString('utf8') === participant,
    );
    expect(snapshots.length).toBeGreaterThan(0);
    expect(new Set(snapshots.map((r) => r.partition))).toEqual(new Set([stopStart.partition]));
  });

  it('moved past the stop\'s first fixes before the restart', () => {
    expect(beforeRestart.held).toBeGreaterThan(stopStart.hundredthFix);
    // The partition's commit is the lowest over its participants; other tests' participants may hold it lower.
    expect(beforeRestart.committed).toBeLessThanOrEqual(beforeRestart.held!);
  });

  it('gives gps_episodes equal to `polluscope gps stops` on the same fixes, across the restart', async () => {
    const expected = cliEpisodes();
    expect(expected.map((e) => e.split(' ')[0])).toEqual(['move', 'stop', 'move']);
    const rows = await eventually(`${participant}: gps_episodes as the CLI finds them`, ARRIVAL_TIMEOUT_MS, warehouseEpisodes, (r) => JSON.stringify(r) === JSON.stringify(expected));
    expect(rows).toEqual(expected);
  }, ARRIVAL_TIMEOUT_MS + 10_000);

  it('still holds the participant past the stop\'s first fixes after the restart (restored, not re-read from the move)', async () => {
    // Driving away, the state is a move's (not written): the participant stays held at the stop's last snapshot.
    const after = await heldFrom(stopStart.partition);
    expect(after.held).not.toBeNull();
    expect(after.held).toBeGreaterThan(stopStart.hundredthFix);
  });
});
