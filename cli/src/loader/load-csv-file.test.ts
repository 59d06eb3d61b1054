import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsvFileInto, type FileLoadResult, type LoadCsvFileOptions } from './load-csv-file.js';
import { checkpointPath } from './load-checkpoint.js';

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const T0 = Date.UTC(2019, 0, 1);

/** Reads binary COPY data of gps_positions back as `participant@seconds after T0`, in order. */
function decodeGps(data: Buffer): string[] {
  const rows: string[] = [];
  let at = 19;
  for (let fields = data.readInt16BE(at); fields !== -1; fields = data.readInt16BE(at)) {
    at += 2;
    const values: Buffer[] = [];
    for (let f = 0; f < fields; f++) {
      const length = data.readInt32BE(at);
      values.push(data.subarray(at + 4, at + 4 + Math.max(length, 0)));
      at += 4 + Math.max(length, 0);
    }
    const timeMs = Number((values[2] as Buffer).readBigInt64BE() / 1000n) + PG_EPOCH_MS;
    rows.push(`${(values[0] as Buffer).toString()}@${(timeMs - T0) / 1000}`);
  }
  return rows;
}

/** An in-memory raw table with the natural key: what each batch inserted, batch by batch. */
function fakeTable(): { batches: string[][]; inserted: () => string[]; insert: (data: Buffer) => Promise<number> } {
  const keys = new Set<string>();
  const batches: string[][] = [];
  return {
    batches,
    inserted: () => batches.flat(),
    insert: (data) => {
      const fresh = decodeGps(data).filter((key) => !keys.has(key) && keys.add(key));
      batches.push(fresh);
      return Promise.resolve(fresh.length);
    },
  };
}

const at = (s: number): string => new Date(T0 + s * 1000).toISOString().slice(0, 19).replace('T', ' ');
/** A gps file of [participant, seconds after T0] rows (or raw line text). */
const gpsCsv = (rows: readonly ([string, number] | string)[]): string =>
  ['participant,time,lat,lon', ...rows.map((r) => (typeof r === 'string' ? r : `${r[0]},${at(r[1])},48.8,2.3`))].join('\n') + '\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polluscope-loader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, text: string, table: ReturnType<typeof fakeTable>, over: Partial<LoadCsvFileOptions> = {}): Promise<FileLoadResult> {
  const file = join(dir, name);
  if (text !== '') await writeFile(file, text);
  return loadCsvFileInto(table.insert, { kind: 'gps', file, batchSize: 2, ...over });
}

describe('loadCsvFileInto', () => {
  it('streams a file already in time order per participant as it is read', async () => {
    const table = fakeTable();
    const result = await load('sorted.csv', gpsCsv([['p', 1], ['q', 0], ['p', 1], ['p', 2], ['q', 5]]), table);
    expect(result.timeOrder).toEqual({ insertedIn: 'file-order' });
    expect(table.batches).toEqual([['p@1', 'q@0'], ['p@2'], ['q@5']]);
    expect(result.counts).toEqual({ linesRead: 5, inserted: 4, alreadyPresent: 1, rejected: 0, batches: 3 });
  });

  it('inserts an unsorted file by participant and time, first row of equal times kept, rejects with their lines', async () => {
    const table = fakeTable();
    const rows: ([string, number] | string)[] = [['p', 30], ['q', 9], ['p', 10], 'p,2019-01-01 00:00:20,95,2.3', ['p', 20], ['q', 3], ['p', 10]];
    const result = await load('unsorted.csv', gpsCsv(rows), table);
    expect(table.inserted()).toEqual(['p@10', 'p@20', 'p@30', 'q@3', 'q@9']);
    expect(table.batches).toEqual([['p@10'], ['p@20', 'p@30'], ['q@3', 'q@9']]);
    expect(result.timeOrder).toEqual({ insertedIn: 'time-order', stepsBack: 3, firstStepBack: { participant: 'p', line: 4, timeMs: T0 + 10_000, afterMs: T0 + 30_000 }, resumedAfterRows: null });
    expect(result.counts).toEqual({ linesRead: 7, inserted: 5, alreadyPresent: 1, rejected: 1, batches: 3 });
    expect(await readFile(join(dir, 'unsorted.csv.rejects.csv'), 'utf8')).toBe('line,column,reason,participant,time,lat,lon\n5,lat,"latitude 95 is outside [-90, 90]",p,2019-01-01 00:00:20,95,2.3\n');
  });

  it('sorts a quoted file too (read with csv-parse)', async () => {
    const table = fakeTable();
    await load('quoted.csv', gpsCsv(['"p",2019-01-01 00:00:05,48.8,2.3', '"p",2019-01-01 00:00:01,48.8,2.3']), table);
    expect(table.inserted()).toEqual(['p@1', 'p@5']);
  });

  it('resumes an interrupted sorted load after the rows it committed', async () => {
    const table = fakeTable();
    const text = gpsCsv([['p', 5], ['p', 4], ['p', 3], ['p', 2], ['p', 1]]);
    const first = await load('resume.csv', text, table, { stopAfterBatches: 1 });
    expect(first.interrupted).toBe(true);
    expect(table.inserted()).toEqual(['p@1', 'p@2']);
    const second = await load('resume.csv', '', table);
    expect(table.inserted()).toEqual(['p@1', 'p@2', 'p@3', 'p@4', 'p@5']);
    expect(second.timeOrder).toMatchObject({ insertedIn: 'time-order', resumedAfterRows: 2 });
    expect(second.counts).toEqual({ linesRead: 5, inserted: 5, alreadyPresent: 0, rejected: 0, batches: 3 });
    await expect(readFile(checkpointPath(join(dir, 'resume.csv')))).rejects.toThrow('ENOENT');
  });

  it('stops before inserting anything when the rows do not fit the sort memory, naming the file and line', async () => {
    const table = fakeTable();
    const text = gpsCsv([['p', 9], ['p', 1], ['p', 2], 'p,x,1,2', ['p', 3]]);
    const file = join(dir, 'big.csv');
    await expect(load('big.csv', text, table, { maxSortBytes: 350 })).rejects.toThrow(
      `${file}, line 6: not in time order per participant (first step back at line 3: participant p at 2019-01-01T00:00:01Z after 2019-01-01T00:00:09Z), ` +
        'and its rows take more than the 350 bytes allowed',
    );
    expect(table.batches).toEqual([]);
    await expect(readFile(`${file}.rejects.csv`)).rejects.toThrow('ENOENT');
  });
});
