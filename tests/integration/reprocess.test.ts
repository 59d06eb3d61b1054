/**
 * `polluscope reprocess` on the real stack (docs/design.md §8): a participant's rows re-published from
 * rawdata with a reprocessing id, every stage starting the participant afresh. With nothing
 * changed, every warehouse row stays as it was, and the topics show the recomputation did run;
 * after a model change (the activity model file replaced while classification-validation runs),
 * the participant's segments are relabelled and every other table keeps its rows; a reviewer's
 * decision stays on its segment through a recomputation.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_LABELS, DEFAULT_MODELS_DIR, REPROCESS_HEADER } from '@polluscope/common';
import { servicePort } from '../../cli/src/infra/services.js';
import { servicesDown, servicesUp } from '../../cli/src/infra/services.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { kafkaClient, readRecords } from '../../cli/src/operations/kafka-records.js';
import { leavesHomeMs, simulateDay, timeOf } from '../faults/kit-feed.js';
import { snapshot, STREAM_TABLES, waitForDrain } from '../faults/pipeline-run.js';
import { describeDiff, diffTable, isIdentical, type Row } from '../faults/table-diff.js';
import { TEST_IDLE_TIMEOUT_MS } from './global-setup.js';
import { createReviewer } from './reviewer-account.js';
import { endpoints, eventually, freshParticipant, rawdata, stackConfig, warehouse } from './stack.js';
import { polluscope } from './cli-run.js';

const log = (line: string) => console.log(`[reprocess] ${line}`);
const DRAIN = { quietMs: 10_000, timeoutMs: 300_000 };

let raw: pg.Pool;
let wh: pg.Pool;
let modelDir: string;
let modelPath: string;
const participant = freshParticipant('reprocess');

function differences(before: Map<string, Row[]>, after: Map<string, Row[]>, tables = STREAM_TABLES): string {
  return tables
    .map(({ table, key }) => ({ key, diff: diffTable(table, key, before.get(table) ?? [], after.get(table) ?? []) }))
    .filter(({ diff }) => !isIdentical(diff))
    .map(({ key, diff }) => describeDiff(diff, key))
    .join('\n');
}

/** Runs `polluscope reprocess` for the participant and waits until the warehouse is quiet again. */
async function reprocess(): Promise<{ id: string; sensor: number; gps: number }> {
  const { stdout, stderr, code } = await polluscope('reprocess', '--participant', participant);
  expect(code, stderr).toBe(0);
  const match = /reprocessing (\S+): re-published (\d+) to raw\.sensor, (\d+) to raw\.gps/.exec(stdout);
  if (match === null) throw new Error(`unexpected output of reprocess: ${stdout}`);
  await waitForDrain(wh, participant, DRAIN);
  return { id: match[1]!, sensor: Number(match[2]), gps: Number(match[3]) };
}

beforeAll(async () => {
  raw = rawdata();
  wh = warehouse();
  // classification-validation reads a copy of the shipped model, which the second test replaces.
  modelDir = mkdtempSync(join(tmpdir(), 'polluscope-reprocess-model-'));
  modelPath = join(modelDir, 'activity-model.json');
  copyFileSync(join(DEFAULT_MODELS_DIR, 'activity-model.json'), modelPath);
  await servicesDown(stackConfig, log);
  await servicesUp(stackConfig, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info', MODEL_PATH: modelPath });

  // A simulated volunteer's morning: 2 hours of sensor minutes and 40 minutes of GPS around the trip.
  const { sensor, gps } = await simulateDay(1, 0.2);
  const leave = leavesHomeMs(sensor);
  const within = (lines: readonly string[], from: number, to: number) =>
    lines.filter((l) => timeOf(l) >= from && timeOf(l) < to).map((l) => l.replace(/^[^,]*/, participant));
  const client = await raw.connect();
  try {
    await copyCsvIntoRaw(client, 'sensor', `${sensor.header}\n${within(sensor.lines, leave - 40 * 60_000, leave + 80 * 60_000).join('\n')}\n`);
    await copyCsvIntoRaw(client, 'gps', `${gps.header}\n${within(gps.lines, leave - 10 * 60_000, leave + 30 * 60_000).join('\n')}\n`);
  } finally {
    client.release();
  }
  log(JSON.stringify(await waitForDrain(wh, participant, DRAIN)));
});

afterAll(async () => {
  await servicesDown(stackConfig, log);
  await servicesUp(stackConfig, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' });
  rmSync(modelDir, { recursive: true, force: true });
  await Promise.all([raw?.end(), wh?.end()]);
});

describe('polluscope reprocess', () => {
  it('with nothing changed, recomputes the participant and leaves every warehouse row as it was', async () => {
    const before = await snapshot(wh, participant);
    for (const { table } of STREAM_TABLES) expect(before.get(table)?.length ?? 0, `${table} rows before`).toBeGreaterThan(0);
    const { id, sensor, gps } = await reprocess();
    expect(sensor).toBe(before.get('sensor_clean')!.length);
    expect(gps).toBeGreaterThan(0);
    // The recomputation ran: every clean minute was produced again under the reprocessing's id.
    const stamped = (await readRecords(kafkaClient(endpoints.kafkaBrokers), ['sensor.clean', 'gps.clean', 'activity.segments', 'gps.episodes'])).filter(
      (r) => r.message.key?.toString() === participant && r.message.headers?.[REPROCESS_HEADER]?.toString() === id,
    );
    const count = (topic: string) => stamped.filter((r) => r.topic === topic).length;
    expect(count('sensor.clean')).toBe(sensor);
    expect(count('activity.segments')).toBeGreaterThanOrEqual(before.get('activity_segments')!.length);
    expect(count('gps.episodes')).toBeGreaterThanOrEqual(before.get('gps_episodes')!.length);
    expect(differences(before, await snapshot(wh, participant))).toBe('');
  });

  it('after a model change, relabels the participant\'s segments and keeps every other row', async () => {
    const before = await snapshot(wh, participant);
    // A different model: the same forests with their class names in reverse order.
    const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { labels: string[] };
    model.labels = [...model.labels].reverse();
    writeFileSync(modelPath, JSON.stringify(model));
    await sleep(6000); // the service polls the file every 2 s
    await reprocess();
    const after = await snapshot(wh, participant);
    const labels = (rows: readonly Row[]) => new Map(rows.map((r) => [String(r.segment_start), r.predicted_label]));
    const old = labels(before.get('activity_segments')!);
    const now = labels(after.get('activity_segments')!);
    expect([...now.keys()]).toEqual([...old.keys()]);
    const relabelled = [...now].filter(([start, label]) => old.get(start) !== label).length;
    log(`${relabelled} of ${now.size} segments relabelled`);
    expect(relabelled).toBeGreaterThan(now.size / 2);
    const unchanged = STREAM_TABLES.filter((t) => ['sensor_clean', 'gps_clean', 'gps_episodes'].includes(t.table));
    expect(differences(before, after, unchanged)).toBe('');
    expect(after.get('activity_timeline')!.length).toBe(before.get('activity_timeline')!.length);
  });

  it("keeps a reviewer's decision on its segment: the recomputed timeline carries it again", async () => {
    const reviewer = await createReviewer('reprocess');
    const { rows } = await wh.query<{ segment_start: Date; final_label: string }>(
      'SELECT segment_start, final_label FROM activity_timeline WHERE participant_virtual_id = $1 ORDER BY segment_start LIMIT 1',
      [participant],
    );
    const segment = rows[0]!;
    const label = CANONICAL_LABELS.find((l) => l !== segment.final_label)!;
    const response = await fetch(`http://${stackConfig.host}:${servicePort(stackConfig, 'postprocessing')}/reviews/${participant}/${segment.segment_start.toISOString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: reviewer.authorization },
      body: JSON.stringify({ label }),
    });
    expect(response.status, await response.text()).toBe(202);
    const reviewedRow = () => wh.query('SELECT final_label, source FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start = $2', [participant, segment.segment_start]);
    await eventually(`the first segment reviewed as ${label}`, 60_000, async () => (await reviewedRow()).rows, (r) => r[0]?.final_label === label && r[0]?.source === 'review');
    await waitForDrain(wh, participant, DRAIN);
    const before = await snapshot(wh, participant);

    const { stdout } = await polluscope('reprocess', '--participant', participant, '--dry-run');
    expect(stdout).toMatch(/1 to review\.decisions/);
    await reprocess();
    expect((await reviewedRow()).rows).toEqual([{ final_label: label, source: 'review' }]);
    expect(differences(before, await snapshot(wh, participant))).toBe('');
  });
});
