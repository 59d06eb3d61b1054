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

  /**
   * Issue "Security", item 6: a stray quote, a 10 MB line, NUL bytes (which PostgreSQL refuses in
   * text: before, one failed the whole batch without naming its line), a formula and an over-long
   * participant id among 1,000 good lines: each bad line rejected with its number, every good row
   * in rawdata, the rejects file harmless in a spreadsheet. Streamed (in time order) and sorted.
   */
  it.each(['in time order', 'not in time order'] as const)('rejects hostile lines by number and loads the rest, %s', async (order) => {
    const base = freshParticipant('load');
    const file = join(dir, `hostile-${order.replaceAll(' ', '-')}.csv`);
    const header = 'participant,time,pm25,activity,event';
    const good = Array.from({ length: 1_000 }, (_, i) => {
      const minute = order === 'in time order' ? i : 999 - i;
      return `${base}-0,${naive(START_MS + minute * 60_000)},${i % 50},Bureau,`;
    });
    const at = (minute: number): string => naive(START_MS + (2_000 + minute) * 60_000);
    const bad = new Map<number, string>([
      [100, `${base}-0,"${at(1)},5,Bureau,`], // stray quote, never closed
      [200, `${base}-0,${at(2)},5,Bureau,${'x'.repeat(10 * 1024 * 1024)}`], // 10 MB line
      [300, `${base}-0,${at(3)},5,Bur\u0000eau,`], // NUL in a text column
      [400, `${base}-0,${at(4)},5,Bureau,note\u0000`], // NUL in another
      [500, `${base}-0\u0000,${at(5)},5,Bureau,`], // NUL in the participant id
      [600, `${base}-0,${at(6)},5,=cmd|' /C calc'!A0,${'e'.repeat(300)}`], // a formula, and an event too long
      [700, `${base}-${'p'.repeat(200)},${at(7)},5,Bureau,`], // participant id too long
    ]);
    const lines = [header];
    for (let i = 0; i < good.length; i++) {
      lines.push(good[i] as string);
      const extra = bad.get(i);
      if (extra !== undefined) lines.push(extra);
    }
    await writeFile(file, lines.join('\n') + '\n');
    const lineOf = (text: string): string => String(lines.indexOf(text) + 1);

    const client = await pool.connect();
    try {
      const result = await loadCsvFile(client, { kind: 'sensor', file });
      expect(result.timeOrder.insertedIn).toBe(order === 'in time order' ? 'file-order' : 'time-order');
      expect(result.counts).toMatchObject({ linesRead: 1_007, inserted: 1_000, alreadyPresent: 0, rejected: 7 });
    } finally {
      client.release();
    }
    expect(await countRows('sensor_measurements', base)).toBe(1_000);

    const rows = parse(await readFile(`${file}.rejects.csv`, 'utf8'), { relax_column_count: true }) as string[][];
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      [lineOf(bad.get(100) as string), ''],
      [lineOf(bad.get(200) as string), ''],
      [lineOf(bad.get(300) as string), 'activity'],
      [lineOf(bad.get(400) as string), 'event'],
      [lineOf(bad.get(500) as string), 'participant'],
      [lineOf(bad.get(600) as string), 'event'],
      [lineOf(bad.get(700) as string), 'participant'],
    ]);
    expect(rows[1]?.[2]).toMatch(/quote|record longer than 65536 bytes/);
    expect(rows[2]?.[2]).toMatch(/^record longer than 65536 bytes/);
    expect(rows[3]?.[2]).toBe('contains a NUL byte (character 4)');
    expect(rows[6]?.[2]).toBe('text of 300 characters, more than 256');
    expect(rows[6]?.[6]).toBe("'=cmd|' /C calc'!A0");
    expect(rows[7]?.[2]).toBe(`participant id of ${base.length + 201} characters, more than 200`);
    // No cell a spreadsheet would run as a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
