/**
 * Fault suite v2 (docs/design.md §4 "The live guarantee", §9): kits send at live rates, time-scaled
 * (kit-feed.ts), while one fault strikes at a seeded moment, sometimes just after an idle flush,
 * with late, repeated and future-stamped records sent during it. Once the pipeline has drained,
 * the warehouse must hold what the CLI computes on the same input (invariants.ts), the dead
 * letters must be the ones the input explains, and every table must equal a fault-free run's.
 * One seed per fault in CI; `FAULT_CAMPAIGN=N` runs each fault with N seeds and prints a summary
 * (campaign.ts; `FAULT_RESULTS` keeps a long campaign's results in a file it can go on from).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawdata, warehouse } from '../integration/stack.js';
import { campaignSeeds, casesToRun, recordResult, seededRandom, summary } from './campaign.js';
import { FAULTS, type Fault } from './faults.js';
import { checkDeadLetters, checkGps, checkSensorClean, checkTimeline } from './invariants.js';
import { buildKitData, feedKits, planRun, type KitData } from './kit-feed.js';
import { saveDrainDiagnostics } from './drain-diagnostics.js';
import { deadLetterEnds, deadLettersSince, snapshot, STREAM_TABLES, waitForDrain } from './pipeline-run.js';
import { describeDiff, diffTable, isIdentical, type Row } from './table-diff.js';

const DRAIN = { quietMs: 8000, timeoutMs: 240_000 };

let raw: pg.Pool;
let wh: pg.Pool;
let data: KitData;
let reference: Map<string, Row[]> | undefined;

/** `flt-<time>-<case>-`: a participant-id prefix no other run uses. */
const runPrefix = (label: string) => `flt-${Date.now().toString(36)}-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-`;

/** One run: the kits' minutes under a fresh prefix, `fault` (if any) at the plan's moment; the violations found. */
async function run(label: string, seed: number, fault?: Fault): Promise<{ problems: string[]; tables: Map<string, Row[]>; drainS: number }> {
  const next = seededRandom(seed, label);
  const plan = planRun(next);
  const prefix = runPrefix(label);
  console.log(`[faults] ${label} (seed ${seed}): fault at tick ${plan.faultTick} + ${plan.faultDelayMs} ms, plan ${JSON.stringify(plan)}`);
  const started = Date.now();
  const deadLetterStart = await deadLetterEnds();
  await feedKits(raw, data, prefix, plan, fault ? () => fault.inject(next) : undefined);
  try {
    await waitForDrain(wh, prefix, DRAIN);
  } catch (err) {
    const file = await saveDrainDiagnostics(label);
    throw new Error(`${(err as Error).message}\n(connectors, Connect's groups and a thread dump of its worker: ${file})`);
  }
  const drainS = (Date.now() - started) / 1000;
  const tables = await snapshot(wh, prefix);
  const futureParticipant = `${prefix}${data.kits[plan.future.kit]!.id.replace(/^sim-/, '')}`;
  const problems = [
    ...checkSensorClean(data, tables),
    ...checkGps(data, tables),
    ...checkTimeline(tables),
    ...checkDeadLetters(data, await deadLettersSince(deadLetterStart, prefix), futureParticipant),
  ];
  return { problems, tables, drainS };
}

/** The tables that differ from the fault-free run, row by row. */
function differencesFromReference(tables: Map<string, Row[]>): string[] {
  if (reference === undefined) return ['no fault-free reference run to compare with'];
  return STREAM_TABLES.flatMap(({ table, key }) => {
    const diff = diffTable(table, key, reference!.get(table) ?? [], tables.get(table) ?? []);
    return isIdentical(diff) ? [] : [describeDiff(diff, key)];
  });
}

describe('fault suite v2: live-rate kits, a seeded fault, the warehouse checked against the input', () => {
  beforeAll(async () => {
    raw = rawdata();
    wh = warehouse();
    // Idle connections are cut when a fault stops a database; the pools reconnect on the next query.
    for (const [name, pool] of [['rawdata', raw], ['warehouse', wh]] as const) {
      pool.on('error', (err) => console.log(`[fault] ${name} pool: idle connection lost (${err.message})`));
    }
    data = await buildKitData();
  });

  afterAll(async () => {
    console.log(summary());
    await raw?.end();
    await wh?.end();
  });

  it('fault-free reference: the warehouse equals the CLI on the input', async () => {
    const { problems, tables, drainS } = await run('reference', campaignSeeds[0]!);
    recordResult({ fault: 'none (reference)', seed: campaignSeeds[0]!, passed: problems.length === 0, drainS, detail: problems.length === 0 ? rowCounts(tables) : headlines(problems) });
    // The fault runs are compared with it even if it breaks an invariant: they should break the same one.
    reference = tables;
    for (const { table } of STREAM_TABLES) expect(tables.get(table)?.length ?? 0, `reference rows in ${table}`).toBeGreaterThan(0);
    expect(problems.join('\n'), 'violations of the invariants').toBe('');
  });

  it.each(casesToRun(FAULTS))('%s (seed %i)', async (name, seed, fault) => {
    let outcome: { problems: string[]; drainS: number; detail: string };
    try {
      const result = await run(name, seed, fault);
      const problems = [...result.problems, ...differencesFromReference(result.tables)];
      outcome = { problems, drainS: result.drainS, detail: problems.length === 0 ? rowCounts(result.tables) : headlines(problems) };
    } catch (err) {
      outcome = { problems: [String(err)], drainS: Number.NaN, detail: String(err).split('\n')[0]! };
    }
    recordResult({ fault: name, seed, passed: outcome.problems.length === 0, drainS: outcome.drainS, detail: outcome.detail });
    expect(outcome.problems.join('\n'), `violations after ${name} (replay: FAULT_SEED=${seed})`).toBe('');
  });
});

/** The first line of each violation, for the summary. */
const headlines = (problems: readonly string[]) => problems.filter((p) => !p.startsWith(' ')).map((p) => p.split('\n')[0]).join('; ');

function rowCounts(tables: Map<string, Row[]>): string {
  return STREAM_TABLES.map(({ table }) => `${table} ${tables.get(table)?.length ?? 0}`).join(', ');
}
