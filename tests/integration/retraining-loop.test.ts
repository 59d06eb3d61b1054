/**
 * The retraining loop end to end (docs/design.md §5.2): a reviewer's decisions → `export-labels` →
 * `train` → `evaluate` → the new model file put where classification-validation reads it, which
 * reloads it without a restart; the segments it classifies afterwards are the new model's, as
 * `polluscope classify` with the same model says on the same minutes.
 */
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '@polluscope/common';
import { servicesDown, servicesUp, servicePort } from '../../cli/src/infra/services.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { waitForDrain } from '../faults/pipeline-run.js';
import { polluscope } from './cli-run.js';
import { TEST_IDLE_TIMEOUT_MS } from './global-setup.js';
import { createReviewer } from './reviewer-account.js';
import { freshParticipant, rawdata, stackConfig, warehouse } from './stack.js';

const log = (line: string) => console.log(`[retraining] ${line}`);
const DRAIN = { quietMs: 10_000, timeoutMs: 300_000 };
const TRAINING_SEED = 7;
const DECISIONS = 4;

const prefix = freshParticipant('retrain');
/** Two volunteers whose data trains the new model, and one who arrives after it is in service. */
const trained = [`${prefix}-a`, `${prefix}-b`];
const later = `${prefix}-c`;
let dir: string;
let modelPath: string;
let raw: pg.Pool;
let wh: pg.Pool;

/** The simulated files with sim-00N renamed to the run's participants. */
function simulated(file: string, names: Readonly<Record<string, string>>): { header: string; lines: string[] } {
  const [header = '', ...lines] = readFileSync(join(dir, 'sim', file), 'utf8').split('\n').filter((l) => l !== '');
  return {
    header,
    lines: lines.flatMap((l) => {
      const id = l.slice(0, l.indexOf(','));
      const name = names[id];
      return name === undefined ? [] : [`${name}${l.slice(id.length)}`];
    }),
  };
}

async function load(names: Readonly<Record<string, string>>): Promise<void> {
  const client = await raw.connect();
  try {
    for (const [kind, file] of [['sensor', 'sensor.csv'], ['gps', 'gps.csv']] as const) {
      const { header, lines } = simulated(file, names);
      await copyCsvIntoRaw(client, kind, `${header}\n${lines.join('\n')}\n`);
    }
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  raw = rawdata();
  wh = warehouse();
  dir = mkdtempSync(join(tmpdir(), 'polluscope-retraining-'));
  const simulatedRun = await polluscope('simulate', '--participants', '3', '--days', '1', '--seed', '53', '--gps-rate-hz', '0.05', '--out', join(dir, 'sim'));
  expect(simulatedRun.code, simulatedRun.stderr).toBe(0);
  // classification-validation reads a copy of the shipped model; the loop replaces it.
  modelPath = join(dir, 'activity-model.json');
  copyFileSync(join(DEFAULT_MODELS_DIR, 'activity-model.json'), modelPath);
  await servicesDown(stackConfig, log);
  await servicesUp(stackConfig, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info', MODEL_PATH: modelPath });
  await load({ 'sim-001': trained[0]!, 'sim-002': trained[1]! });
  log(JSON.stringify(await waitForDrain(wh, prefix, DRAIN)));
}, 420_000);

afterAll(async () => {
  await servicesDown(stackConfig, log);
  await servicesUp(stackConfig, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' });
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([raw?.end(), wh?.end()]);
});

describe('the retraining loop', () => {
  let decided: Array<{ start: string; label: string }> = [];

  it("turns a reviewer's decisions into training labels", async () => {
    // The reviewer relabels the first segments of the day with what the simulator says was true.
    const truth = simulated('truth_minutes.csv', { 'sim-001': trained[0]! });
    const trueLabel = new Map(truth.lines.map((l) => l.split(',')).map(([, time, label]) => [Date.parse(time!), label!]));
    const { rows } = await wh.query<{ segment_start: Date; final_label: string | null }>(
      'SELECT segment_start, final_label FROM activity_timeline WHERE participant_virtual_id = $1 AND minutes > 0 ORDER BY segment_start LIMIT $2',
      [trained[0], DECISIONS],
    );
    expect(rows).toHaveLength(DECISIONS);
    decided = rows.map((r) => ({ start: r.segment_start.toISOString(), label: trueLabel.get(r.segment_start.getTime()) ?? 'Domicile' }));
    const reviewer = await createReviewer('retrain');
    for (const { start, label } of decided) {
      const response = await fetch(`http://${stackConfig.host}:${servicePort(stackConfig, 'postprocessing')}/reviews/${encodeURIComponent(trained[0]!)}/${start}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: reviewer.authorization },
        body: JSON.stringify({ label, comment: 'retraining loop test' }),
      });
      expect(response.status, await response.text()).toBeLessThan(300);
    }
    await waitForDrain(wh, prefix, DRAIN);
    const { rows: stored } = await wh.query<{ n: string }>('SELECT count(*) AS n FROM review_decisions WHERE participant_virtual_id = $1 AND reviewer = $2', [
      trained[0],
      reviewer.name,
    ]);
    expect(Number(stored[0]!.n)).toBe(DECISIONS);

    const exported = await polluscope('export-labels', '--sensors-output', join(dir, 'sensors.csv'), '--labels-output', join(dir, 'labels.csv'), '--source', 'both');
    expect(exported.code, exported.stderr).toBe(0);
    const labels = readFileSync(join(dir, 'labels.csv'), 'utf8').split('\n');
    const header = labels[0]!.split(',');
    const [id, time, label, source] = ['participant_virtual_id', 'time', 'micro_environment', 'label_source'].map((c) => header.indexOf(c));
    const reviewed = labels.slice(1).map((l) => l.split(',')).filter((f) => f[id!] === trained[0] && f[source!] === 'review');
    expect(reviewed.length, 'minutes labelled by the review decisions').toBeGreaterThanOrEqual(DECISIONS);
    for (const f of reviewed) {
      const segmentStart = Math.floor(Date.parse(f[time!]!) / 300_000) * 300_000;
      expect(f[label!]).toBe(decided.find((d) => Date.parse(d.start) === segmentStart)?.label);
    }
  }, 300_000);

  it('trains on the export, evaluates the model, and the service classifies with it once the file is replaced', async () => {
    const newModel = join(dir, 'retrained-model.json');
    const trainedRun = await polluscope('train', '--sensors', join(dir, 'sensors.csv'), '--labels', join(dir, 'labels.csv'), '--output', newModel, '--seed', String(TRAINING_SEED), '--folds', '2');
    expect(trainedRun.code, trainedRun.stderr).toBe(0);
    const evaluated = await polluscope(
      'evaluate', '--sensors', join(dir, 'sim', 'sensor.csv'), '--truth', join(dir, 'sim', 'truth_minutes.csv'),
      '--model', newModel, '--methods', 'majority,pretrained', '--folds', '3', '--resamples', '50',
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/pretrained/);
    expect(evaluated.stdout).toMatch(/balanced/i);

    // Put into service as an operator would: a whole file renamed over the one the service reads.
    copyFileSync(newModel, `${modelPath}.new`);
    renameSync(`${modelPath}.new`, modelPath);
    await sleep(6000); // the service polls the file every 2 s

    await load({ 'sim-003': later });
    await waitForDrain(wh, later, DRAIN);
    const { rows } = await wh.query<{ segment_start: Date; predicted_label: string | null; model_version: string }>(
      'SELECT segment_start, predicted_label, model_version FROM activity_segments WHERE participant_virtual_id = $1 ORDER BY segment_start',
      [later],
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set([`v2-seed${TRAINING_SEED}`]));

    // The independent reference: the command line with the new model on the same minutes.
    const input = simulated('sensor.csv', { 'sim-003': later });
    writeFileSync(join(dir, 'later.csv'), `${input.header}\n${input.lines.join('\n')}\n`);
    const reference = async (model: string) => {
      const out = join(dir, `classified-${model === newModel ? 'new' : 'shipped'}.csv`);
      const run = await polluscope('classify', '--input', join(dir, 'later.csv'), '--output', out, '--model', model);
      expect(run.code, run.stderr).toBe(0);
      const [head = '', ...lines] = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
      const columns = head.split(',');
      const start = columns.indexOf('segment_start');
      const label = columns.indexOf('label');
      return new Map(lines.map((l) => l.split(',')).map((f) => [Date.parse(f[start]!), f[label]! === '' ? null : f[label]!]));
    };
    const byNewModel = await reference(newModel);
    const byShippedModel = await reference(join(DEFAULT_MODELS_DIR, 'activity-model.json'));
    const stream = new Map(rows.map((r) => [r.segment_start.getTime(), r.predicted_label]));
    expect(stream).toEqual(byNewModel);
    // Otherwise the comparison could not tell the two models apart.
    const changed = [...byNewModel].filter(([start, label]) => byShippedModel.get(start) !== label).length;
    log(`${changed} of ${byNewModel.size} segments labelled differently by the retrained model`);
    expect(changed).toBeGreaterThan(0);
  }, 420_000);
});
