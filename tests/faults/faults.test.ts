/**
 * Fault suite (issue 8, DESIGN.md §4): the same simulated dataset goes through the real pipeline
 * once undisturbed (the reference), then once per fault; every stream table of the warehouse must
 * end identical to the reference, row for row: nothing lost, nothing duplicated, nothing changed.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@polluscope/common';
import { rawdata, warehouse } from '../integration/stack.js';
import { FAULT_SUITE_IDLE_TIMEOUT_MS, killService, restartBroker, restartConnect, secondReplicasJoinThenLeave, stopWarehouseFor } from './faults.js';
import { buildFaultDataset, feedDataset, runPrefix, snapshot, STREAM_TABLES, waitForDrain, type FaultDataset } from './pipeline-run.js';
import { describeDiff, diffTable, isIdentical, type Row } from './table-diff.js';

const DRAIN_TIMEOUT_MS = 420_000;

let raw: pg.Pool;
let wh: pg.Pool;
let dataset: FaultDataset;
let reference: Map<string, Row[]>;
/** The pipeline must stay drained this long to count as finished: beyond the services' idle timeout. */
const QUIET_MS = Number(FAULT_SUITE_IDLE_TIMEOUT_MS) + 10_000;

async function runThrough(caseName: string, fault?: () => Promise<void>): Promise<Map<string, Row[]>> {
  const prefix = runPrefix(caseName);
  const started = Date.now();
  await feedDataset(raw, dataset, prefix, fault);
  const counts = await waitForDrain(wh, prefix, { quietMs: QUIET_MS, timeoutMs: DRAIN_TIMEOUT_MS });
  console.log(`[fault] ${caseName}: drained in ${((Date.now() - started) / 1000).toFixed(0)} s, rows ${JSON.stringify(counts)}`);
  return snapshot(wh, prefix);
}

function expectSameAsReference(run: Map<string, Row[]>): void {
  const reports: string[] = [];
  for (const { table, key } of STREAM_TABLES) {
    const diff = diffTable(table, key, reference.get(table) ?? [], run.get(table) ?? []);
    if (!isIdentical(diff)) reports.push(describeDiff(diff, key));
  }
  expect(reports.join('\n'), 'warehouse tables that differ from the reference run').toBe('');
}

describe('faults survived: the warehouse ends identical to an undisturbed run', () => {
  beforeAll(async () => {
    raw = rawdata();
    wh = warehouse();
    // Idle connections are cut when a fault stops a database; the pools reconnect on the next query.
    for (const [name, pool] of [['rawdata', raw], ['warehouse', wh]] as const) {
      pool.on('error', (err) => console.log(`[fault] ${name} pool: idle connection lost (${err.message})`));
    }
    dataset = await buildFaultDataset();
    reference = await runThrough('reference');
    for (const { table } of STREAM_TABLES) {
      // A reference with an empty table would make the comparison of that table vacuous.
      expect(reference.get(table)?.length ?? 0, `reference rows in ${table}`).toBeGreaterThan(0);
    }
    expect(reference.get('sensor_clean')?.length).toBe(dataset.sensorRows);
  });

  afterAll(async () => {
    await raw?.end();
    await wh?.end();
  });

  it.each(SERVICE_NAMES.map((name) => [name]))('kill -9 of %s mid-stream, then restart', async (name) => {
    expectSameAsReference(await runThrough(`kill-${name}`, () => killService(name)));
  });

  it('restart of the Kafka broker mid-stream', async () => {
    expectSameAsReference(await runThrough('broker', restartBroker));
  });

  it('the warehouse database stopped for 30 s mid-stream, then back', async () => {
    expectSameAsReference(await runThrough('warehouse', () => stopWarehouseFor(30_000)));
  });

  it('Kafka Connect restarted mid-stream', async () => {
    expectSameAsReference(await runThrough('connect', restartConnect));
  });

  it('a consumer-group rebalance: a second replica of every service joins, then leaves', async () => {
    expectSameAsReference(await runThrough('rebalance', () => secondReplicasJoinThenLeave(8000)));
  });
});
