/**
 * Kits sending at live rates, time-scaled (docs/design.md §9): the services run with a 1 s idle
 * timeout and each simulated minute becomes one tick of 1.3 s. At every tick each volunteer's kit
 * sends its sensor row of that minute and its GPS fixes of that minute (at most six, 0.1 Hz), so
 * the idle timeout fires between any two records of a participant. The participants' kits send
 * side by side, each in its own event-time order. A case's plan (seeded) adds, around its fault:
 * a sensor row sent a few minutes late, an exact repeat of an earlier sensor row (an UPDATE that
 * changes nothing reaches the stream as the same record again; a re-sent row is a conflict that
 * the loader ignores) and one sensor row stamped 20 h ahead of the clock. GPS fixes are not sent
 * late or repeated on purpose: a fix behind the last one cleaned still goes to the dead-letter
 * topic (the recomputation from rawdata of docs/design.md §4 is not built; docs/stream-runtime.md).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { writeSimulation } from '../../cli/src/commands/simulate.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { RAW_TABLES, type RawKind } from '../../cli/src/loader/raw-tables.js';
import { defaultSimulationParams } from '../../cli/src/simulator/index.js';
import type { Random } from './campaign.js';

export const LIVE_IDLE_TIMEOUT_MS = 1000;
/** Wall time of one simulated minute: longer than the idle timeout. */
export const TICK_MS = 1300;
export const MINUTES = 30;
const PARTICIPANTS = 3;
const FIXES_PER_GROUP = 6;
const FUTURE_AHEAD_MS = 20 * 3600_000;
/** How long an insert is retried while rawdata is down (a kit keeps its data until it is accepted). */
const INSERT_RETRY_MS = 120_000;

export interface KitMinutes {
  /** Participant id as simulated (`sim-NNN`); each run replaces the `sim-` prefix with its own. */
  readonly id: string;
  /** Per tick: the sensor lines and the GPS lines of that minute. */
  readonly sensor: readonly (readonly string[])[];
  readonly gps: readonly (readonly string[])[];
}

export interface KitData {
  readonly sensorHeader: string;
  readonly gpsHeader: string;
  readonly kits: readonly KitMinutes[];
}

export const timeOf = (line: string) => Date.parse(line.split(',', 3)[2]!);

/** A simulated day's sensor and GPS lines (participant ids `sim-NNN`), each file sorted by time. */
export interface SimulatedDay {
  readonly sensor: { readonly header: string; readonly lines: string[] };
  readonly gps: { readonly header: string; readonly lines: string[] };
}

/** One day of `participants` simulated volunteers (seed 29), GPS at `gpsRateHz`. */
export async function simulateDay(participants: number, gpsRateHz: number): Promise<SimulatedDay> {
  const dir = await mkdtemp(join(tmpdir(), 'polluscope-simulated-day-'));
  try {
    const summary = await writeSimulation({ ...defaultSimulationParams, participants, days: 1, seed: 29, gpsRateHz }, dir);
    const read = async (file: string) => {
      const [header = '', ...lines] = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
      return { header, lines: lines.sort((a, b) => timeOf(a) - timeOf(b)) };
    };
    return { sensor: await read(summary.files.sensor), gps: await read(summary.files.gps) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Time of the first sensor minute after 05:00 UTC declared away from home: the morning trip. */
export function leavesHomeMs(sensor: SimulatedDay['sensor'], participant?: string): number {
  const activity = sensor.header.split(',').indexOf('activity');
  const leave = sensor.lines.find(
    (l) =>
      (participant === undefined || l.startsWith(`${participant},`)) &&
      new Date(timeOf(l)).getUTCHours() >= 5 &&
      !['Domicile', ''].includes(l.split(',')[activity] ?? ''),
  );
  if (leave === undefined) throw new Error(`simulated ${participant ?? 'volunteer'} never leaves home`);
  return timeOf(leave);
}

/** Three simulated volunteers (seed 29, GPS at 0.1 Hz), each from 10 minutes before leaving home, 30 minutes. */
export async function buildKitData(): Promise<KitData> {
  const { sensor, gps } = await simulateDay(PARTICIPANTS, 0.1);
  const ids = [...new Set(sensor.lines.map((l) => l.split(',', 1)[0]!))].sort();
  const kits = ids.map((id) => {
    const own = (lines: string[]) => lines.filter((l) => l.startsWith(`${id},`));
    const from = leavesHomeMs(sensor, id) - 10 * 60_000;
    const minute = (lines: string[], k: number) => lines.filter((l) => timeOf(l) >= from + k * 60_000 && timeOf(l) < from + (k + 1) * 60_000);
    const minutes = Array.from({ length: MINUTES }, (_, k) => ({ sensor: minute(own(sensor.lines), k), gps: minute(own(gps.lines), k) }));
    if (minutes.some((m) => m.gps.length > FIXES_PER_GROUP)) throw new Error(`more than ${FIXES_PER_GROUP} fixes in a minute of ${id}`);
    return { id, sensor: minutes.map((m) => m.sensor), gps: minutes.map((m) => m.gps) };
  });
  return { sensorHeader: sensor.header, gpsHeader: gps.header, kits };
}

/** Where the extras of a run go: sends are (kit index, kind, minute of the rows). */
export interface RunPlan {
  /** The fault starts during this tick, `faultDelayMs` after its inserts (past the idle timeout: just after an idle flush). */
  readonly faultTick: number;
  readonly faultDelayMs: number;
  /** Held back from their minute and sent at `atTick`. */
  readonly late: ReadonlyArray<{ kit: number; kind: RawKind; minute: number; atTick: number }>;
  /** Already sent, sent again at `atTick`: by UPDATE (reaches the stream) and by a second insert (ignored). */
  readonly repeats: ReadonlyArray<{ kit: number; kind: RawKind; minute: number; atTick: number }>;
  readonly future: { readonly kit: number; readonly atTick: number };
}

const pick = (next: Random, from: number, to: number) => from + Math.floor(next() * (to - from + 1));

/** The seeded plan of one run: the fault tick, the moment in it, and the extras sent during the fault. */
export function planRun(next: Random): RunPlan {
  const faultTick = pick(next, 5, MINUTES - 14);
  const afterFlush = next() < 0.5;
  const faultDelayMs = afterFlush ? LIVE_IDLE_TIMEOUT_MS + pick(next, 200, 1000) : pick(next, 0, 200);
  const late = (['sensor'] as const).map((kind) => {
    const minute = faultTick + pick(next, 0, 2);
    return { kit: pick(next, 0, PARTICIPANTS - 1), kind, minute, atTick: minute + pick(next, 2, 5) };
  });
  const repeats = (['sensor'] as const).map((kind) => ({
    kit: pick(next, 0, PARTICIPANTS - 1),
    kind,
    minute: pick(next, 1, faultTick - 1),
    atTick: faultTick + pick(next, 1, 4),
  }));
  return { faultTick, faultDelayMs, late, repeats, future: { kit: pick(next, 0, PARTICIPANTS - 1), atTick: faultTick + pick(next, 0, 3) } };
}

/** The lines of a kit's minute under the run's prefix. */
const renamed = (lines: readonly string[], prefix: string) => lines.map((l) => l.replace(/^sim-/, prefix));

/** One insert or update, retried (on a fresh connection) while rawdata is unreachable. */
async function withRetry(raw: pg.Pool, work: (client: pg.PoolClient) => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + INSERT_RETRY_MS;
  for (;;) {
    let client: pg.PoolClient | undefined;
    try {
      client = await raw.connect();
      await work(client);
      client.release();
      return;
    } catch (err) {
      client?.release(err as Error);
      if (Date.now() > deadline) throw err;
      await sleep(1000);
    }
  }
}

/**
 * Feeds every kit's minutes under `prefix` following `plan`; `onFault` starts during the fault tick
 * and runs while the ticks go on. Resolves when both are done. Returns the future row's time.
 */
export async function feedKits(raw: pg.Pool, data: KitData, prefix: string, plan: RunPlan, onFault?: () => Promise<void>): Promise<number> {
  const header = { sensor: data.sensorHeader, gps: data.gpsHeader };
  const lines = (kit: number, kind: RawKind, minute: number) => renamed((kind === 'sensor' ? data.kits[kit]!.sensor : data.kits[kit]!.gps)[minute] ?? [], prefix);
  const insert = (kind: RawKind, rows: readonly string[]) =>
    rows.length === 0 ? Promise.resolve() : withRetry(raw, (c) => copyCsvIntoRaw(c, kind, `${header[kind]}\n${rows.join('\n')}\n`));
  const heldBack = (kit: number, kind: RawKind, minute: number) => plan.late.some((l) => l.kit === kit && l.kind === kind && l.minute === minute);
  let fault: Promise<void> = Promise.resolve();
  let futureTimeMs = 0;
  const lastTick = Math.max(MINUTES - 1, ...plan.late.map((l) => l.atTick));
  for (let tick = 0; tick <= lastTick; tick++) {
    for (let kit = 0; kit < data.kits.length; kit++) {
      for (const kind of ['sensor', 'gps'] as const) if (!heldBack(kit, kind, tick)) await insert(kind, lines(kit, kind, tick));
    }
    for (const late of plan.late.filter((l) => l.atTick === tick)) await insert(late.kind, lines(late.kit, late.kind, late.minute));
    for (const repeat of plan.repeats.filter((r) => r.atTick === tick)) {
      const rows = lines(repeat.kit, repeat.kind, repeat.minute);
      if (rows.length === 0) continue;
      const { table, key } = RAW_TABLES[repeat.kind];
      const first = rows[0]!.split(',');
      // The same row again: an update that changes nothing, then a re-send the loader ignores.
      const column = pg.escapeIdentifier(key[1]!); // (participant, time): the time column
      const update = `UPDATE ${pg.escapeIdentifier(table)} SET ${column} = ${column} WHERE participant_virtual_id = $1 AND time = $2`;
      await withRetry(raw, (c) => c.query(update, [first[0], first[2]]));
      await insert(repeat.kind, rows);
    }
    if (plan.future.atTick === tick) {
      const [line] = lines(plan.future.kit, 'sensor', Math.min(tick, MINUTES - 1));
      futureTimeMs = Math.floor((Date.now() + FUTURE_AHEAD_MS) / 60_000) * 60_000;
      const fields = line!.split(',');
      fields[2] = new Date(futureTimeMs).toISOString();
      await insert('sensor', [fields.join(',')]);
    }
    if (tick === plan.faultTick && onFault) {
      await sleep(plan.faultDelayMs);
      fault = onFault();
      await sleep(Math.max(0, TICK_MS - plan.faultDelayMs));
    } else {
      await sleep(TICK_MS);
    }
  }
  await fault;
  return futureTimeMs;
}
