/**
 * `polluscope erase` (a volunteer withdraws): after the pipeline has processed two participants,
 * erasing one leaves no row of it in rawdata or the warehouse (review decision and exported
 * training file included), touches nothing of the other, and the pipeline keeps processing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantTables } from '../../cli/src/operations/erase.js';
import { liveSnapshots } from '../../cli/src/operations/erase-changelog.js';
import { kafkaClient, readRecords } from '../../cli/src/operations/kafka-records.js';
import { CHANGELOG_SERVICES, changelogTopic } from '@polluscope/common';
import { polluscope } from './cli-run.js';
import { endpoints, eventually, freshParticipant, rawdata, warehouse } from './stack.js';

const START_MS = Date.UTC(2026, 3, 7, 8, 0, 0);
const MINUTE = 60_000;
const MINUTES = 40;
const withdrawn = freshParticipant('erase');
const staying = freshParticipant('stay');
const raw = rawdata();
const wh = warehouse();
let exportDir = '';

async function insertKit(participant: string, startMs: number, minutes: number): Promise<void> {
  const times = Array.from({ length: minutes }, (_, m) => new Date(startMs + m * MINUTE));
  await raw.query(
    `INSERT INTO sensor_measurements (participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity)
     SELECT $1, 7, t, 5, 10, 15, 20, 800, 21, 45, 'Domicile' FROM unnest($2::timestamptz[]) AS t`,
    [participant, times],
  );
  const fixes = Array.from({ length: minutes * 6 }, (_, i) => new Date(startMs + i * 10_000));
  await raw.query(
    `INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon)
     SELECT $1, 7, t, 48.85 + (extract(epoch FROM t)::bigint % 2) * 0.00003, 2.35 FROM unnest($2::timestamptz[]) AS t`,
    [participant, fixes],
  );
}

/** Rows of the participant in every table of a database that has a participant id. */
async function rowsOf(pool: pg.Pool, participant: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await participantTables(pool)) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id = $1`, [participant]);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

/** Partitions of the changelogs whose last record of the participant is a snapshot of its state. */
async function snapshotsOf(participant: string): Promise<number> {
  const records = await readRecords(kafkaClient(endpoints.kafkaBrokers), CHANGELOG_SERVICES.map((s) => changelogTopic(s).name));
  return liveSnapshots(records, participant).reduce((n, c) => n + c.partitions.length, 0);
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function processed(participant: string): Promise<{ clean: number; gps: number; timeline: number }> {
  const { rows } = await wh.query<{ clean: string; gps: string; timeline: string }>(
    `SELECT (SELECT count(*) FROM sensor_clean WHERE participant_virtual_id = $1) AS clean,
            (SELECT count(*) FROM gps_clean WHERE participant_virtual_id = $1) AS gps,
            (SELECT count(*) FROM activity_timeline WHERE participant_virtual_id = $1) AS timeline`,
    [participant],
  );
  return { clean: Number(rows[0]!.clean), gps: Number(rows[0]!.gps), timeline: Number(rows[0]!.timeline) };
}

beforeAll(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'polluscope-erase-'));
  await insertKit(withdrawn, START_MS, MINUTES);
  await insertKit(staying, START_MS, MINUTES);
  for (const participant of [withdrawn, staying]) {
    await eventually(`${participant} processed`, 180_000, () => processed(participant), (p) => p.clean === MINUTES && p.gps > 0 && p.timeline >= MINUTES / 5);
  }
  // A reviewer's decision about the withdrawn participant, as the review sink stores it.
  await wh.query('INSERT INTO review_decisions (participant_virtual_id, segment_start, label, reviewer, decided_at) VALUES ($1, $2, $3, $4, now())', [
    withdrawn,
    new Date(START_MS),
    'Bureau',
    'it-reviewer',
  ]);
  // A fix the GPS cleaner dropped, as the points sink stores it: erased like the kept ones.
  await wh.query("INSERT INTO gps_dropped (participant_virtual_id, time, tablet_id, lat, lon, reason) VALUES ($1, $2, 7, 49.2, 2.35, 'too-fast')", [
    withdrawn,
    new Date(START_MS + 5_000),
  ]);
}, 240_000);

afterAll(async () => {
  await raw.end();
  await wh.end();
  await rm(exportDir, { recursive: true, force: true });
});

describe('polluscope erase', () => {
  it('counts without --yes, then removes every row of the participant from both databases and the exported files', async () => {
    const labels = join(exportDir, 'labels.csv');
    const exported = await polluscope('export-labels', '--sensors-output', join(exportDir, 'sensors.csv'), '--labels-output', labels, '--source', 'both');
    expect(exported.code, exported.stderr).toBe(0);
    expect(await readFile(labels, 'utf8')).toContain(withdrawn);

    const before = { raw: await rowsOf(raw, withdrawn), wh: await rowsOf(wh, withdrawn) };
    expect(before.raw.sensor_measurements).toBe(MINUTES);
    expect(before.wh.review_decisions).toBe(1);
    expect(before.wh.gps_dropped).toBe(1);
    const staysBefore = { raw: await rowsOf(raw, staying), wh: await rowsOf(wh, staying) };
    // Both sat still for 40 minutes: stop-move-detection keeps each one's open stop in its changelog.
    for (const participant of [withdrawn, staying]) await eventually(`${participant}'s stop in the changelog`, 60_000, () => snapshotsOf(participant), (n) => n === 1);

    const dry = await polluscope('erase', '--participant', withdrawn);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Nothing was removed');
    expect(dry.stdout).toContain('would be tombstoned');
    expect(await snapshotsOf(withdrawn)).toBe(1);
    expect(dry.stdout).toMatch(new RegExp(`rawdata\\s+sensor_measurements\\s+${MINUTES}\\b`));
    expect(await rowsOf(raw, withdrawn)).toEqual(before.raw);

    const done = await polluscope('erase', '--participant', withdrawn, '--yes');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/warehouse\s+review_decisions\s+1\b/);
    expect(done.stdout).toMatch(/warehouse\s+gps_dropped\s+1\b/);
    expect(done.stdout).toContain('dead-letter topics');
    expect(done.stdout).toMatch(/stop-move-detection\.changelog\s+\d/);
    expect(await snapshotsOf(withdrawn)).toBe(0);
    expect(await snapshotsOf(staying)).toBe(1);
    expect(total(await rowsOf(raw, withdrawn))).toBe(0);
    expect(total(await rowsOf(wh, withdrawn))).toBe(0);
    expect(await readFile(labels, 'utf8')).not.toContain(withdrawn);
    expect(await readFile(join(exportDir, 'sensors.csv'), 'utf8')).not.toContain(withdrawn);

    // The other participant is untouched.
    expect({ raw: await rowsOf(raw, staying), wh: await rowsOf(wh, staying) }).toEqual(staysBefore);
  }, 120_000);

  it('leaves the pipeline processing the others', async () => {
    await insertKit(staying, START_MS + MINUTES * MINUTE, 10);
    await eventually('the next minutes of the participant who stays', 120_000, () => processed(staying), (p) => p.clean === MINUTES + 10);
    // Nothing of the erased participant comes back from the services' state.
    expect(total(await rowsOf(wh, withdrawn))).toBe(0);
  }, 150_000);
});
