/**
 * `polluscope demo` (what `npm start` runs): sets up and starts the stack and the services, puts
 * a few simulated participants' day into rawdata, waits until the warehouse has processed them,
 * and prints what reached it. `--live` then keeps feeding new days.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import pg from 'pg';
import { consoleUp } from '../infra/console-process.js';
import { servicesStatus, servicesUp } from '../infra/services.js';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';
import { formatTable, stackUp } from '../infra/stack.js';
import { copyCsvFileIntoRaw } from '../loader/copy-into-raw.js';
import { waitUntilSettled } from '../operations/pipeline-settled.js';
import { defaultSimulationParams, type SimulationParams } from '../simulator/index.js';
import { writeSimulation } from './simulate.js';

/** An open participant counts as pending until its flush, so a short quiet bridges only the polls' gaps. */
const SETTLED_QUIET_MS = 10_000;

const WAREHOUSE_TABLES = ['sensor_clean', 'activity_segments', 'gps_clean', 'gps_episodes', 'activity_timeline', 'exposure_daily'] as const;

interface DemoOptions {
  readonly participants: string;
  readonly days: string;
  readonly seed: string;
  readonly start: string;
  readonly gpsRateHz: string;
  readonly timeoutS: string;
  readonly live: boolean;
}

async function loadSimulatedDay(raw: pg.Client, params: SimulationParams): Promise<{ sensor: number; gps: number; participants: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'polluscope-demo-'));
  try {
    const summary = await writeSimulation(params, dir);
    const sensor = await copyCsvFileIntoRaw(raw, 'sensor', summary.files.sensor);
    const gps = await copyCsvFileIntoRaw(raw, 'gps', summary.files.gps);
    const participants = Array.from({ length: params.participants }, (_, i) => `sim-${String(i + 1).padStart(3, '0')}`);
    return { sensor, gps, participants };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForWarehouse(raw: pg.Client, warehouse: pg.Client, participants: readonly string[], timeoutMs: number): Promise<boolean> {
  const { rows } = await raw.query<{ n: string }>('SELECT count(*) AS n FROM sensor_measurements WHERE participant_virtual_id = ANY($1)', [participants]);
  const expected = Number(rows[0]?.n ?? 0);
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  while (Date.now() < deadline) {
    const { rows: seen } = await warehouse.query<{ clean: string; timeline: string }>(
      `SELECT (SELECT count(*) FROM sensor_clean WHERE participant_virtual_id = ANY($1)) AS clean,
              (SELECT count(*) FROM activity_timeline WHERE participant_virtual_id = ANY($1)) AS timeline`,
      [participants],
    );
    const clean = Number(seen[0]?.clean ?? 0);
    if (clean !== previous) process.stdout.write(`\r  sensor minutes cleaned: ${clean} / ${expected}   `);
    previous = clean;
    if (clean >= expected && Number(seen[0]?.timeline ?? 0) > 0) {
      process.stdout.write('\n');
      return true;
    }
    await sleep(2000);
  }
  process.stdout.write('\n');
  return false;
}

async function rowCounts(warehouse: pg.Client, participants: readonly string[]): Promise<Array<{ table: string; rows: string }>> {
  const counts = [];
  for (const table of WAREHOUSE_TABLES) {
    const { rows } = await warehouse.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id = ANY($1)`, [participants]);
    counts.push({ table, rows: rows[0]?.n ?? '0' });
  }
  return counts;
}

async function printSummary(warehouse: pg.Client, participants: readonly string[]): Promise<void> {
  const counts = await rowCounts(warehouse, participants);
  console.log('\nRows in the warehouse for the demo participants:');
  console.log(formatTable(counts));

  const first = participants[0];
  const { rows: timeline } = await warehouse.query<{ from: string; to: string; label: string; source: string; segments: string }>(
    `SELECT to_char(min(segment_start) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI') AS from,
            to_char(max(segment_end) AT TIME ZONE 'Europe/Paris', 'HH24:MI') AS to,
            label, string_agg(DISTINCT source, ',') AS source, count(*)::text AS segments
       FROM (SELECT *, sum(changed) OVER (ORDER BY segment_start) AS grp
               FROM (SELECT segment_start, segment_end, coalesce(final_label, 'unknown') AS label, source,
                            CASE WHEN coalesce(final_label, 'unknown') = lag(coalesce(final_label, 'unknown')) OVER (ORDER BY segment_start)
                                 THEN 0 ELSE 1 END AS changed
                       FROM activity_timeline WHERE participant_virtual_id = $1) marked) grouped
      GROUP BY grp, label ORDER BY min(segment_start) LIMIT 30`,
    [first],
  );
  console.log(`\nTimeline of ${first} (Europe/Paris time, consecutive equal labels merged):`);
  console.log(formatTable(timeline));

  const { rows: exposure } = await warehouse.query<Record<string, string>>(
    `SELECT micro_environment, round(sum(minutes))::text AS minutes,
            round((sum(pm25_time_integrated_concentration) / nullif(sum(minutes) FILTER (WHERE pm25_mean IS NOT NULL), 0))::numeric, 1)::text AS pm25_mean,
            round((sum(bc_time_integrated_concentration) / nullif(sum(minutes) FILTER (WHERE bc_mean IS NOT NULL), 0))::numeric, 0)::text AS bc_mean
       FROM exposure_daily WHERE participant_virtual_id = ANY($1) AND minutes > 0
      GROUP BY micro_environment ORDER BY sum(minutes) DESC`,
    [participants],
  );
  console.log('\nExposure by micro-environment (all demo participants, time-weighted means):');
  console.log(exposure.length > 0 ? formatTable(exposure) : '(no exposure rows yet)');
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('what `npm start` runs: start the stack and services, load simulated participants, print what reached the warehouse')
    .option('--participants <n>', 'simulated participants', '3')
    .option('--days <n>', 'days per participant', '1')
    .option('--seed <n>', 'simulation seed', '1')
    .option('--start <date>', 'first simulated day (YYYY-MM-DD)', defaultSimulationParams.startDate)
    .option('--gps-rate-hz <hz>', 'GPS fixes per second', '0.2')
    .option('--timeout-s <s>', 'how long to wait for the warehouse', '600')
    .option('--live', 'keep feeding one new simulated day at a time until interrupted', false)
    .action(async (options: DemoOptions) => {
      const config = loadStackConfig();
      const say = (line: string) => console.log(line);
      await stackUp(config, say);
      const running = await servicesStatus(config);
      if (running.some((s) => s.state !== 'ready')) await servicesUp(config, say);
      const raw = new pg.Client({ connectionString: stackEndpoints(config).rawdataUrl });
      const warehouse = new pg.Client({ connectionString: stackEndpoints(config).warehouseUrl });
      await raw.connect();
      await warehouse.connect();
      try {
        let start = options.start;
        do {
          const params: SimulationParams = {
            ...defaultSimulationParams,
            participants: Number(options.participants),
            days: Number(options.days),
            seed: Number(options.seed),
            startDate: start,
            gpsRateHz: Number(options.gpsRateHz),
          };
          const loaded = await loadSimulatedDay(raw, params);
          say(`loaded ${loaded.sensor} sensor minutes and ${loaded.gps} GPS fixes into rawdata (rows already there are skipped)`);
          const done = await waitForWarehouse(raw, warehouse, loaded.participants, Number(options.timeoutS) * 1000);
          if (!done) {
            throw new Error(`the warehouse did not receive every row within ${options.timeoutS} s: see \`npx polluscope status\` and the logs in .polluscope/logs`);
          }
          say('waiting for the last idle flushes and the sinks to commit, so the summary is final …');
          await waitUntilSettled(config, {
            quietMs: SETTLED_QUIET_MS,
            timeoutMs: Number(options.timeoutS) * 1000,
            observe: async () => JSON.stringify(await rowCounts(warehouse, loaded.participants)),
          });
          await printSummary(warehouse, loaded.participants);
          const next = new Date(Date.parse(`${start}T00:00:00Z`) + Number(options.days) * 86_400_000);
          start = next.toISOString().slice(0, 10);
        } while (options.live);
        const consoleUrl = await consoleUp(config);
        say(`\nThe console: ${consoleUrl}/ (the first participant's day: ${consoleUrl}/#/participants/sim-001/days/${options.start})`);
        say('The stack, the services and the console keep running: `npx polluscope services down && npx polluscope infra down` stops them.');
      } finally {
        await raw.end();
        await warehouse.end();
      }
    });
}
