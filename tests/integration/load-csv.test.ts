/**
 * `polluscope load-csv` against the real rawdata database: a 120,000-line sensor export in the
 * original Polluscope column names with some bad lines, a GPS export, a second load that adds
 * nothing, and a load interrupted after two batches then resumed. Event times are in 2019 so the
 * rows stay out of the other tests' way; participants are fresh `it-load-…` ids.
 */
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/src/main.js';
import { loadCsvFile } from '../../cli/src/loader/load-csv-file.js';
import { endpoints, freshParticipant, rawdata } from './stack.js';

const SENSOR_LINES = 120_000;
const START_MS = Date.UTC(2019, 2, 1);
const BLOCK = 10_007;

interface Expected {
  readonly text: string;
  /** [line, column, reason] of each bad line. */
  readonly rejects: string[][];
  /** participant → pm25 text by ISO time, for every valid line. */
  readonly valid: number;
}

const naive = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Sensor lines for participants `${base}-0..2`, one a minute; in every block of 10,007 lines the
 * 6th has an unparseable time, the 7th a non-numeric PM2.5, the 8th no participant.
 */
function sensorCsv(base: string, lines: number): Expected {
  const out = ['id_participant,Timestamp,id_kit,PM1,PM2.5,PM10,NO2,BC,Temperature,Humidity,activity,event,comment'];
  const rejects: string[][] = [];
  for (let i = 0; i < lines; i++) {
    const line = i + 2;
    let participant = `${base}-${i % 3}`;
    let time = naive(START_MS + Math.floor(i / 3) * 60_000);
    let pm25 = String(5 + (i % 40));
    const bc = i % 11 === 0 ? 'nan' : (i % 9) / 10;
    if (i % BLOCK === 5) {
      time = 'not-a-time';
      rejects.push([String(line), 'Timestamp', 'not a time: "not-a-time"']);
    } else if (i % BLOCK === 6) {
      pm25 = 'abc';
      rejects.push([String(line), 'PM2.5', 'not a number: "abc"']);
    } else if (i % BLOCK === 7) {
      participant = '';
      rejects.push([String(line), 'id_participant', 'empty participant id']);
    }
    out.push(`${participant},${time},${100 + (i % 3)},3.5,${pm25},12,20,${bc},18.5,40,${i % 1440 < 480 ? 'Domicile' : 'Bureau'},,line ${line}`);
  }
  return { text: out.join('\n') + '\n', rejects, valid: lines - rejects.length };
}

let pool: pg.Pool;
let dir: string;

beforeAll(async () => {
  pool = rawdata();
  dir = await mkdtemp(join(tmpdir(), 'polluscope-load-csv-'));
});

afterAll(async () => {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
});

async function countRows(table: 'sensor_measurements' | 'gps_positions', base: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE participant_virtual_id LIKE $1`, [`${base}-%`]);
  return Number(rows[0]?.n ?? -1);
}

const rejectsOf = async (file: string): Promise<string[][]> => (parse(await readFile(file, 'utf8')) as string[][]).map((r) => r.slice(0, 3));

describe('polluscope load-csv', () => {
  it('loads a 120,000-line sensor export, rejects exactly the bad lines, and a second load adds nothing', async () => {
    const base = freshParticipant('load');
    const file = join(dir, 'sensor.csv');
    const expected = sensorCsv(base, SENSOR_LINES);
    await writeFile(file, expected.text);
    expect(expected.rejects.length).toBe(36);
    expect(expected.valid).toBe(119_964);

    const client = await pool.connect();
    try {
      const first = await loadCsvFile(client, { kind: 'sensor', file });
      expect(first.counts).toEqual({ linesRead: 120_000, inserted: 119_964, alreadyPresent: 0, rejected: 36, batches: 3 });
      expect(first.rejectsFile).toBe(`${file}.rejects.csv`);
    } finally {
      client.release();
    }
    expect(await countRows('sensor_measurements', base)).toBe(119_964);

    const rejects = await rejectsOf(`${file}.rejects.csv`);
    expect(rejects[0]).toEqual(['line', 'column', 'reason']);
    expect(rejects.slice(1, 4)).toEqual([
      ['7', 'Timestamp', 'not a time: "not-a-time"'],
      ['8', 'PM2.5', 'not a number: "abc"'],
      ['9', 'id_participant', 'empty participant id'],
    ]);
    expect(rejects.slice(1)).toEqual(expected.rejects);
    const firstReject = (parse(await readFile(`${file}.rejects.csv`, 'utf8')) as string[][])[1];
    expect(firstReject?.slice(3, 5)).toEqual([`${base}-2`, 'not-a-time']);
    expect(firstReject?.at(-1)).toBe('line 7');

    const { rows } = await pool.query<{ pm25: number | null; bc: number | null; kit_id: number; activity: string; event: string | null }>(
      `SELECT pm25, bc, kit_id, activity, event FROM sensor_measurements WHERE participant_virtual_id = $1 AND time = $2`,
      [`${base}-0`, '2019-03-01T00:00:00Z'],
    );
    expect(rows).toEqual([{ pm25: 5, bc: null, kit_id: 100, activity: 'Domicile', event: null }]);

    // Second load, through the command line: nothing new, the same lines rejected.
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await buildProgram().exitOverride().parseAsync(['node', 'polluscope', 'load-csv', '--kind', 'sensor', '--database-url', endpoints.rawdataUrl, file]);
      const summary = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(summary).toContain('lines read:       120000');
      expect(summary).toContain('inserted:         0\n');
      expect(summary).toContain('already present:  119964');
      expect(summary).toContain('rejected:         36');
    } finally {
      log.mockRestore();
    }
    expect(await countRows('sensor_measurements', base)).toBe(119_964);
    expect((await rejectsOf(`${file}.rejects.csv`)).slice(1)).toEqual(expected.rejects);
    expect((await readdir(dir)).sort()).toEqual(['sensor.csv', 'sensor.csv.rejects.csv']);
  });

  it('loads a GPS export with its own column names and rejects a latitude of 200', async () => {
    const base = freshParticipant('load');
    const file = join(dir, 'gps.csv');
    const lines = ['participant,date,Latitude,lng,tablet'];
    for (let i = 0; i < 2_000; i++) {
      const lat = i === 10 ? '200' : (48.85 + i / 1e5).toFixed(5);
      const time = i === 20 ? '2019-02-30 10:00:00' : naive(START_MS + i * 5_000);
      lines.push(`${base}-0,${time},${lat},2.35,7`);
    }
    await writeFile(file, lines.join('\n') + '\n');
    const client = await pool.connect();
    try {
      const result = await loadCsvFile(client, { kind: 'gps', file, rejectsFile: join(dir, 'gps-rejects.csv') });
      expect(result.counts).toEqual({ linesRead: 2_000, inserted: 1_998, alreadyPresent: 0, rejected: 2, batches: 1 });
    } finally {
      client.release();
    }
    expect(await countRows('gps_positions', base)).toBe(1_998);
    expect((await rejectsOf(join(dir, 'gps-rejects.csv'))).slice(1)).toEqual([
      ['12', 'Latitude', 'latitude 200 is outside [-90, 90]'],
      ['22', 'date', 'not a time: "2019-02-30 10:00:00"'],
    ]);
  });

  it('resumes an interrupted load: the table and the rejects end as after one uninterrupted run', async () => {
    const interruptedBase = freshParticipant('load');
    const wholeBase = freshParticipant('load');
    const interrupted = join(dir, 'interrupted.csv');
    const whole = join(dir, 'whole.csv');
    await writeFile(interrupted, sensorCsv(interruptedBase, 30_000).text);
    await writeFile(whole, sensorCsv(wholeBase, 30_000).text);
    const client = await pool.connect();
    try {
      const stopped = await loadCsvFile(client, { kind: 'sensor', file: interrupted, batchSize: 7_000, stopAfterBatches: 2 });
      expect(stopped.interrupted).toBe(true);
      expect(stopped.counts).toEqual({ linesRead: 14_000, inserted: 13_994, alreadyPresent: 0, rejected: 6, batches: 2 });
      expect(await countRows('sensor_measurements', interruptedBase)).toBe(13_994);
      const state = JSON.parse(await readFile(`${interrupted}.load-state.json`, 'utf8')) as { line: number };
      expect(state.line).toBe(14_001);
      // A crash after a batch's rejects were written but before its checkpoint: they must not stay.
      await appendFile(`${interrupted}.rejects.csv`, '14050,Timestamp,from a batch that never committed\n');

      const resumed = await loadCsvFile(client, { kind: 'sensor', file: interrupted, batchSize: 7_000 });
      expect(resumed.resumedAfterLine).toBe(14_001);
      expect(resumed.linesReadThisRun).toBe(16_000);
      expect(resumed.counts).toEqual({ linesRead: 30_000, inserted: 29_991, alreadyPresent: 0, rejected: 9, batches: 5 });

      const once = await loadCsvFile(client, { kind: 'sensor', file: whole, batchSize: 7_000 });
      expect(once.counts).toEqual({ linesRead: 30_000, inserted: 29_991, alreadyPresent: 0, rejected: 9, batches: 5 });
    } finally {
      client.release();
    }
    const content = async (base: string): Promise<string[]> => {
      const { rows } = await pool.query<{ row: string }>(
        `SELECT concat_ws('|', substring(participant_virtual_id from length($2) + 1), kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity, event) AS row
           FROM sensor_measurements WHERE participant_virtual_id LIKE $1 ORDER BY participant_virtual_id, time`,
        [`${base}-%`, base],
      );
      return rows.map((r) => r.row);
    };
    const [afterResume, afterOnce] = await Promise.all([content(interruptedBase), content(wholeBase)]);
    expect(afterResume.length).toBe(29_991);
    expect(afterResume).toEqual(afterOnce);
    const withoutIds = async (file: string, base: string): Promise<string> => (await readFile(file, 'utf8')).replaceAll(base, 'P');
    expect(await withoutIds(`${interrupted}.rejects.csv`, interruptedBase)).toBe(await withoutIds(`${whole}.rejects.csv`, wholeBase));
    expect((await readdir(dir)).filter((f) => f.endsWith('.load-state.json'))).toEqual([]);
  });
});
