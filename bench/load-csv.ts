/**
 * `npx tsx bench/load-csv.ts [lines] [--bare] [--database-url URL]`: measures `load-csv` into rawdata.
 * Generates a sensor CSV of ~1,000,000 lines in the temporary folder (participants
 * `it-load-bench-<run>-NN`, one line a minute in 2019, some values missing), loads it with the
 * loader's own code, prints rows/s with the machine, the date and the load average, then deletes
 * its rows (by its own participant ids only) and the file. Not a test: nothing passes or fails.
 * Target (issue 7): ≥ 100,000 rows/s.
 *
 * On a shared machine the wall-clock figure depends on the others' load, so it also prints the
 * CPU seconds of the loader and of its database backend (read from /proc when the database runs
 * on this machine): what the load costs, whatever the load average.
 *
 * `--bare` then loads the same rows into the same table without the loader, as references for
 * what the database alone allows: a plain CSV COPY of the file (the server parses the text, no
 * validation, no rejects, no idempotence), and a binary COPY of rows encoded beforehand (the
 * loader's COPY without its parsing). Each phase's rows are deleted before the next.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadStackConfig, stackEndpoints } from '../cli/src/infra/stack-config.js';
import { CopyBinaryWriter } from '../cli/src/loader/copy-binary.js';
import { copyStatement, type CopyFormat } from '../cli/src/loader/copy-into-raw.js';
import { mapHeader, type HeaderMapping } from '../cli/src/loader/header-aliases.js';
import { loadCsvFile } from '../cli/src/loader/load-csv-file.js';
import { RAW_TABLES } from '../cli/src/loader/raw-tables.js';
import { isRejected, validateRow } from '../cli/src/loader/validate-row.js';

const TARGET_ROWS_PER_S = 100_000;
const PARTICIPANTS = 50;
const START_MS = Date.UTC(2019, 2, 1);
const SENSOR = RAW_TABLES.sensor;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const participantIds = (run: string): string[] => Array.from({ length: PARTICIPANTS }, (_, i) => `it-load-bench-${run}-${String(i).padStart(2, '0')}`);

/** Writes `lines` sensor lines in the original Polluscope column names, in the table's column order. */
async function writeSensorFile(file: string, lines: number, ids: readonly string[]): Promise<void> {
  const perParticipant = Math.ceil(lines / PARTICIPANTS);
  const out = createWriteStream(file);
  out.write('participant_virtual_id,kit_id,time,PM1,PM2.5,PM10,NO2,BC,Temperature,Humidity,activity,event\n');
  let written = 0;
  let chunk: string[] = [];
  for (let p = 0; p < PARTICIPANTS && written < lines; p++) {
    for (let m = 0; m < perParticipant && written < lines; m++, written++) {
      const t = new Date(START_MS + m * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      const pm = 5 + ((m * 7 + p) % 40);
      const bc = m % 17 === 0 ? '' : String(((m % 900) / 100).toFixed(2));
      const activity = m % 1440 < 480 ? 'Domicile' : m % 1440 < 540 ? 'Transport' : 'Bureau';
      chunk.push(`${ids[p]},${100 + p},${t},${pm * 0.6},${pm},${pm * 1.4},${20 + (m % 30)},${bc},${18 + (m % 8)},${40 + (m % 20)},${activity},`);
      if (chunk.length === 10_000) {
        if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) out.write(chunk.join('\n') + '\n');
  out.end();
  await once(out, 'close');
}

/** CPU seconds used so far by a process of this machine (user + system), or null when unreadable. */
function processCpuS(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface Phase {
  readonly name: string;
  readonly rows: number;
  readonly wallS: number;
  readonly loaderCpuS: number;
  readonly backendCpuS: number | null;
  readonly walMb: number;
  readonly load1: number;
}

/** Times `work` with the CPU of this process and of the database backend, and the WAL it wrote. */
async function measure(client: pg.Client, name: string, work: () => Promise<number>): Promise<Phase> {
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? -1;
  const lsn = (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn')).rows[0]?.lsn;
  const backend0 = processCpuS(pid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await work();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const backend1 = processCpuS(pid);
  const wal = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes', [lsn]);
  return {
    name,
    rows,
    wallS,
    loaderCpuS: (cpu.user + cpu.system) / 1e6,
    backendCpuS: backend0 !== null && backend1 !== null ? backend1 - backend0 : null,
    walMb: Number(wal.rows[0]?.bytes ?? 0) / 1e6,
    load1: loadavg()[0] ?? 0,
  };
}

function report(phase: Phase): void {
  const backend = phase.backendCpuS === null ? 'n/a (database not on this machine)' : `${phase.backendCpuS.toFixed(1)} s`;
  console.log(
    `${phase.name}: ${phase.rows} rows in ${phase.wallS.toFixed(1)} s = ${Math.round(phase.rows / phase.wallS)} rows/s; ` +
      `CPU: this process ${phase.loaderCpuS.toFixed(1)} s, database backend ${backend}; WAL ${phase.walMb.toFixed(0)} MB; load average ${phase.load1.toFixed(2)}`,
  );
}

async function deleteRows(client: pg.Client, ids: readonly string[]): Promise<number> {
  const deleted = await client.query('DELETE FROM sensor_measurements WHERE participant_virtual_id = ANY($1)', [ids]);
  // Dead index entries with the same keys would slow the next phase's unique checks.
  await client.query('VACUUM sensor_measurements');
  return deleted.rowCount ?? 0;
}

/** The file's rows as the loader encodes them, without COPYing them (for the bare binary COPY). */
async function encodeFile(file: string): Promise<Buffer> {
  const writer = new CopyBinaryWriter(1 << 27);
  let mapping: HeaderMapping | null = null;
  for await (const record of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true })) as AsyncIterable<string[]>) {
    if (mapping === null) {
      mapping = mapHeader('sensor', record, file);
      continue;
    }
    const values = validateRow(mapping, record);
    if (!isRejected(values)) writer.row(SENSOR.types, values);
  }
  return writer.finish();
}

async function copyStream(client: pg.Client, source: Readable, format: CopyFormat): Promise<number> {
  await client.query('BEGIN');
  const copy = client.query(copyFrom(copyStatement(SENSOR.table, 'sensor', format)));
  await pipeline(source, copy);
  await client.query('COMMIT');
  return copy.rowCount ?? 0;
}

async function main(): Promise<void> {
  const lines = Number(process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : 1_000_000);
  const bare = process.argv.includes('--bare');
  const databaseUrl = argValue('--database-url') ?? stackEndpoints(loadStackConfig()).rawdataUrl;
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const file = join(tmpdir(), `polluscope-load-bench-${run}.csv`);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'polluscope bench load-csv' });
  await client.connect();
  const ids = participantIds(run);
  let loaded = false;
  try {
    const t0 = performance.now();
    await writeSensorFile(file, lines, ids);
    const sizeMb = (await stat(file)).size / 1e6;
    console.log(`generated ${lines} lines (${sizeMb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file}`);
    const cpu = cpus();
    console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${new Date().toISOString()}`);
    console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);

    loaded = true;
    const loader = await measure(client, 'load-csv (loader)', async () => {
      // The loader works through this client: the backend measured is the loader's.
      const result = await loadCsvFile(client, { kind: 'sensor', file });
      if (result.counts.rejected > 0 || result.counts.inserted !== lines) throw new Error(`unexpected counts ${JSON.stringify(result.counts)}`);
      return result.linesReadThisRun;
    });
    report(loader);
    console.log(`deleted the loader's ${await deleteRows(client, ids)} rows`);
    if (bare) {
      await client.query("SET TimeZone = 'UTC'"); // the file's naive times are UTC
      const csv = await measure(client, 'bare COPY csv (no loader)', () => copyStream(client, createReadStream(file, { highWaterMark: 1 << 20 }), 'csv'));
      report(csv);
      console.log(`deleted ${await deleteRows(client, ids)} rows`);
      const encoded = await encodeFile(file);
      const binary = await measure(client, 'bare COPY binary, rows encoded beforehand', () => copyStream(client, Readable.from([encoded]), 'binary'));
      report(binary);
      console.log(`deleted ${await deleteRows(client, ids)} rows`);
    }
    loaded = false;
    console.log(`rows/s: ${Math.round(loader.rows / loader.wallS)} (target ≥ ${TARGET_ROWS_PER_S}); load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  } finally {
    if (loaded) {
      await client.query('ROLLBACK').catch(() => undefined);
      await deleteRows(client, ids);
    }
    await client.end();
    await rm(file, { force: true });
    await rm(`${file}.rejects.csv`, { force: true });
    await rm(`${file}.load-state.json`, { force: true });
  }
}

await main();
