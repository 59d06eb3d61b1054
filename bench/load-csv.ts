/**
 * `npx tsx bench/load-csv.ts [lines] [--database-url URL]`: measures `load-csv` into rawdata.
 * Generates a sensor CSV of ~1,000,000 lines in the temporary folder (participants
 * `it-load-bench-<run>-NN`, one line a minute in 2019, some values missing), loads it with the
 * loader's own code, prints rows/s with the machine and date, then deletes its rows (by its own
 * participant ids only) and the file. Not a test: nothing passes or fails, it measures.
 * Target (issue 7): ≥ 100,000 rows/s.
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { loadStackConfig, stackEndpoints } from '../cli/src/infra/stack-config.js';
import { loadCsvFile } from '../cli/src/loader/load-csv-file.js';

const TARGET_ROWS_PER_S = 100_000;
const PARTICIPANTS = 50;
const START_MS = Date.UTC(2019, 2, 1);

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Writes `lines` sensor lines in the original Polluscope column names; returns the participant ids. */
async function writeSensorFile(file: string, lines: number, run: string): Promise<string[]> {
  const ids = Array.from({ length: PARTICIPANTS }, (_, i) => `it-load-bench-${run}-${String(i).padStart(2, '0')}`);
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
  return ids;
}

async function main(): Promise<void> {
  const lines = Number(process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : 1_000_000);
  const databaseUrl = argValue('--database-url') ?? stackEndpoints(loadStackConfig()).rawdataUrl;
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const file = join(tmpdir(), `polluscope-load-bench-${run}.csv`);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'polluscope bench load-csv' });
  await client.connect();
  let ids: string[] = [];
  try {
    const t0 = performance.now();
    ids = await writeSensorFile(file, lines, run);
    const sizeMb = (await stat(file)).size / 1e6;
    console.log(`generated ${lines} lines (${sizeMb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${file}`);
    const result = await loadCsvFile(client, { kind: 'sensor', file });
    const rowsPerS = Math.round((result.linesReadThisRun * 1000) / result.elapsedMs);
    const cpu = cpus();
    console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${new Date().toISOString()}`);
    console.log(`load-csv sensor: ${result.counts.linesRead} lines, ${result.counts.inserted} inserted, ${result.counts.rejected} rejected in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    console.log(`rows/s: ${rowsPerS} (target ≥ ${TARGET_ROWS_PER_S})`);
  } finally {
    if (ids.length > 0) {
      const deleted = await client.query('DELETE FROM sensor_measurements WHERE participant_virtual_id = ANY($1)', [ids]);
      console.log(`deleted the bench's ${deleted.rowCount ?? 0} rows`);
    }
    await client.end();
    await rm(file, { force: true });
    await rm(`${file}.rejects.csv`, { force: true });
    await rm(`${file}.load-state.json`, { force: true });
  }
}

await main();
