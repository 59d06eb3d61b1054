/**
 * Operators' commands against the running stack, run as an operator runs them (the built CLI):
 * `dlq list|show|replay` brings a record dead-lettered as `future` into the warehouse once its time
 * has come; `status` shows a sink's lag growing and its task FAILED while the warehouse is
 * stopped, then RUNNING (the watchdog restarts it) and the lag back to 0 once it is started again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { DEAD_LETTER_RETENTION_MS, deadLetterTopic, SERVICE_NAMES } from '@polluscope/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSpecs, startCluster, stopCluster } from '../../cli/src/infra/postgres.js';
import type { Assessment, PipelineSnapshot } from '../../cli/src/operations/pipeline-health.js';
import { endpoints, eventually, freshParticipant, rawdata, stackConfig, warehouse } from './stack.js';
import { polluscope } from './cli-run.js';

async function status(): Promise<PipelineSnapshot & Assessment & { code: number }> {
  const { stdout, stderr, code } = await polluscope('status', '--json');
  if (stdout.trim() === '') throw new Error(`polluscope status printed nothing (exit ${code}): ${stderr}`);
  return { ...(JSON.parse(stdout) as PipelineSnapshot & Assessment), code };
}

const MAX_FUTURE_MS = 10 * 60_000;
const log = (line: string) => console.log(`[operations] ${line}`);

let raw: pg.Pool;
let wh: pg.Pool;

beforeAll(() => {
  raw = rawdata();
  wh = warehouse();
  wh.on('error', () => undefined); // idle connections are cut while the warehouse is stopped
});

afterAll(async () => {
  await Promise.all([raw.end(), wh.end()]);
});

describe('polluscope --version and status', () => {
  it('prints its version', async () => {
    const { stdout, code } = await polluscope('--version');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^polluscope \d+\.\d+\.\d+ \(Node\.js v\d+/);
  });

  it('reports a running pipeline as healthy: every service ready, every connector and task running, the slot active', async () => {
    const snapshot = await status();
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.level).toBe('healthy');
    expect(snapshot.code).toBe(0);
    expect(snapshot.services.map((s) => s.state)).toEqual(['ready', 'ready', 'ready', 'ready', 'ready']);
    const groups = snapshot.groups.map((g) => g.group);
    for (const group of ['timeseries-preprocessing', 'gps-preprocessing', 'connect-warehouse-sink-points', 'connect-warehouse-sink-exposure']) expect(groups).toContain(group);
    expect(snapshot.slots).toEqual([expect.objectContaining({ name: 'polluscope_raw', active: true })]);
    expect(snapshot.deadLetters.map((d) => d.topic)).toContain('dlq.gps-preprocessing');
  });
});

describe('polluscope dlq', () => {
  it('keeps dead letters 30 days (infra up sets it on the dead-letter topics)', async () => {
    const admin = new Kafka({ brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = SERVICE_NAMES.map((s) => deadLetterTopic(s).name);
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })) });
      expect(resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue])).toEqual(topics.map((t) => [t, String(DEAD_LETTER_RETENTION_MS)]));
    } finally {
      await admin.disconnect();
    }
  });

  it('lists a future-stamped row with its reason, and replays it into the warehouse once its time has come (a dry run first)', async () => {
    const participant = freshParticipant('dlq-replay');
    // 30 s beyond the 10 min the services accept: dead-lettered now, acceptable half a minute later.
    const stamp = new Date(Math.floor((Date.now() + MAX_FUTURE_MS + 30_000) / 60_000) * 60_000 + 60_000);
    await raw.query('INSERT INTO sensor_measurements (participant_virtual_id, time, pm25, pm10) VALUES ($1, $2, 12, 20)', [participant, stamp]);
    const listed = await eventually(
      'the future row in dlq list',
      60_000,
      async () => (await polluscope('dlq', 'list', '--participant', participant, '--json')).stdout.trim().split('\n').filter((l) => l !== ''),
      (lines) => lines.length === 1,
    );
    const letter = JSON.parse(listed[0]!) as { id: string; reason: string; error: string; source: { topic: string } };
    expect(letter).toMatchObject({ reason: 'future', source: { topic: 'raw.sensor' } });
    expect(letter.error).toMatch(/^future: /);

    const shown = await polluscope('dlq', 'show', letter.id);
    expect(shown.code).toBe(0);
    const record = (JSON.parse(shown.stdout) as { record: { participant_virtual_id: string; pm25: number } }).record;
    expect(record).toMatchObject({ participant_virtual_id: participant, pm25: 12 });

    const dryRun = await polluscope('dlq', 'replay', '--participant', participant);
    expect(dryRun.stdout).toContain(`would replay ${letter.id} → raw.sensor/`);
    expect(dryRun.stdout).toContain('dry run: 1 letters would be replayed');

    const waitMs = stamp.getTime() - MAX_FUTURE_MS - Date.now() + 5_000;
    log(`waiting ${Math.ceil(waitMs / 1000)} s until ${stamp.toISOString()} is less than 10 min ahead`);
    if (waitMs > 0) await sleep(waitMs);
    const count = async () => Number((await wh.query('SELECT count(*) FROM sensor_clean WHERE participant_virtual_id = $1', [participant])).rows[0].count);
    expect(await count(), 'nothing reached the warehouse before the replay').toBe(0);
    const replay = await polluscope('dlq', 'replay', '--participant', participant, '--yes');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('replayed 1 letters');
    const rows = await eventually('the replayed row in sensor_clean', 60_000, async () => (await wh.query('SELECT time, pm25 FROM sensor_clean WHERE participant_virtual_id = $1', [participant])).rows, (r) => r.length === 1);
    expect(rows[0]).toMatchObject({ pm25: 12 });
    expect(new Date(rows[0].time).getTime()).toBe(stamp.getTime());
    // It did not come back to the dead-letter topic.
    const after = (await polluscope('dlq', 'list', '--participant', participant, '--json')).stdout.trim().split('\n').filter((l) => l !== '');
    expect(after).toHaveLength(1);
  });

  it('refuses a replay that names nothing, and an id that is not a dead letter\'s', async () => {
    const nothing = await polluscope('dlq', 'replay');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('name the letters to replay');
    const badId = await polluscope('dlq', 'show', 'raw.sensor/0/1');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('is not a dead letter\'s id');
  });
});

describe('polluscope status while the warehouse is stopped', () => {
  it('shows the points sink falling behind and its task FAILED, then RUNNING and caught up once the warehouse is back', async () => {
    const cluster = clusterSpecs(stackConfig).find((c) => c.name === 'warehouse')!;
    const participant = freshParticipant('status-outage');
    const sinkLag = (s: PipelineSnapshot) => s.groups.find((g) => g.group === 'connect-warehouse-sink-points')?.lag ?? Number.NaN;
    stopCluster(stackConfig, cluster);
    log('warehouse stopped');
    try {
      // 40 fixes a few seconds apart: gps.clean grows while the sink cannot write.
      const start = Date.UTC(2026, 2, 5, 8);
      for (let i = 0; i < 40; i++) {
        await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 1, $2, $3, 2.35)', [participant, new Date(start + i * 5000), 48.85 + i * 1e-5]);
      }
      const behind = await eventually('the points sink behind', 120_000, status, (s) => sinkLag(s) >= 30);
      log(`points sink lag ${sinkLag(behind)}`);
      // The sink retries its flush 60 × 2 s, then its task fails.
      const failed = await eventually('a FAILED task of the points sink', 240_000, status, (s) =>
        s.connectors.some((c) => c.name === 'warehouse-sink-points' && c.tasks.some((t) => t.state === 'FAILED')),
      );
      expect(failed.level).not.toBe('healthy');
      expect(failed.code).not.toBe(0);
      expect(failed.problems.map((p) => p.what).join('\n')).toMatch(/connector warehouse-sink-points task \d FAILED/);
    } finally {
      startCluster(stackConfig, cluster);
      log('warehouse started again');
    }
    // Nobody else restarts the failed tasks: the watchdog does (its back-off is at most 300 s).
    const back = await eventually('the points sink running (restarted by the watchdog) and caught up', 420_000, status, (s) =>
      sinkLag(s) === 0 && s.connectors.every((c) => c.state === 'RUNNING' && c.tasks.every((t) => t.state === 'RUNNING')),
    );
    expect(back.connectors.find((c) => c.name === 'warehouse-sink-points')?.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    const stored = await eventually('the fixes in gps_clean', 60_000, async () => Number((await wh.query('SELECT count(*) FROM gps_clean WHERE participant_virtual_id = $1', [participant])).rows[0].count), (n) => n === 40);
    expect(stored).toBe(40);
    // The sink's 120 s of retries and the watchdog's back-off (up to 300 s) outlast the default 180 s.
  }, 900_000);
});
