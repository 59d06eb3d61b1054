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

  describe('bad lines cost their line only: rejected with its number, the rest loads', () => {
    const rejectsOf = async (name: string): Promise<string[]> => (await readFile(join(dir, `${name}.rejects.csv`), 'utf8')).split('\n').slice(1, -1);
    /** A stray quote, a 10 MB line, a NUL byte and a formula, among good lines; `order` puts them in time order or not. */
    const hostile = (order: 'sorted' | 'unsorted'): string => {
      const times = order === 'sorted' ? [1, 2, 3, 4, 5, 6] : [6, 5, 4, 3, 2, 1];
      return gpsCsv([
        ['p', times[0] as number],
        `p,"${at(100)},48.8,2.3`, // line 3: the quote is never closed
        ['p', times[1] as number],
        `p,${at(101)},48.8,${'9'.repeat(10 * 1024 * 1024)}`, // line 5: 10 MB
        ['p', times[2] as number],
        `p\0x,${at(102)},48.8,2.3`, // line 7: NUL in the participant id
        ['p', times[3] as number],
        `=cmd|' /C calc'!A0,${at(103)},48.8,x`, // line 9: rejected for its lon, the formula kept harmless
        ['p', times[4] as number],
        `${'p'.repeat(201)},${at(104)},48.8,2.3`, // line 11: participant id too long
        ['p', times[5] as number],
      ]);
    };

    it.each(['sorted', 'unsorted'] as const)('%s file', async (order) => {
      const table = fakeTable();
      const name = `hostile-${order}.csv`;
      const result = await load(name, hostile(order), table, { batchSize: 3 });
      expect(result.timeOrder.insertedIn).toBe(order === 'sorted' ? 'file-order' : 'time-order');
      expect([...table.inserted()].sort()).toEqual(['p@1', 'p@2', 'p@3', 'p@4', 'p@5', 'p@6']);
      expect(result.counts).toMatchObject({ linesRead: 11, inserted: 6, rejected: 5 });
      const rejects = await rejectsOf(name);
      expect(rejects.map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['3,', '5,', '7,participant', '9,lon', '11,participant']);
      expect(rejects[0]).toMatch(/^3,,"?(a quote opened on this line is never closed|record longer than 65536 bytes)/);
      expect(rejects[1]).toMatch(/^5,,"record longer than 65536 bytes/);
      expect(rejects[2]).toMatch(/^7,participant,contains a NUL byte \(character 2\),/);
      expect(rejects[3]).toBe(`9,lon,"not a number: ""x""","'=cmd|' /C calc'!A0",2019-01-01 00:01:43,48.8,x`);
      expect(rejects[4]).toMatch(/^11,participant,"participant id of 201 characters, more than 200",p{201},/);
      expect(rejects.join('\n').length).toBeLessThan(5000);
    });

    it('a stray quote closed by a later one: its line rejected, the lines it swallowed read', async () => {
      const table = fakeTable();
      const text = gpsCsv([['p', 1], `p,"${at(2)},48.8,2.3`, ['p', 3], `p,${at(4)},48.8,2.3"`, ['p', 5], `p,"${at(6)}",48.8,"2`, `3"`, ['p', 7]]);
      const result = await load('closed-quote.csv', text, table);
      // Line 3's quote closes at the end of line 5: one record of 3 lines and 2 fields. Lines 7-8
      // are one record too, of 4 fields, but its last is not a number; line 8 alone is broken.
      expect(table.inserted()).toEqual(['p@1', 'p@3', 'p@5', 'p@7']);
      expect(result.counts).toMatchObject({ linesRead: 8, rejected: 4 });
      expect(await rejectsOf('closed-quote.csv')).toEqual([
        '3,,"a quote on this line opens a field that runs over the next lines (as one record: expected 4 fields, found 2); the line is skipped and the next ones are read"',
        expect.stringMatching(/^5,,"broken quoting: .*INVALID_OPENING_QUOTE/),
        expect.stringMatching(/^7,,"a quote on this line opens a field .*as one record: not a number/),
        expect.stringMatching(/^8,,"broken quoting: .*INVALID_OPENING_QUOTE/),
      ]);
    });

    it('the record size limit is an option', async () => {
      const table = fakeTable();
      const result = await load('limit.csv', gpsCsv([['p', 1], `p,${at(2)},48.8,2.30000000000000000000000`, ['p', 3]]), table, { maxRecordBytes: 40 });
      expect(table.inserted()).toEqual(['p@1', 'p@3']);
      expect(await rejectsOf('limit.csv')).toEqual([expect.stringMatching(/^3,,"record longer than 40 bytes/)]);
      expect(result.counts.rejected).toBe(1);
    });

    it('a header that cannot be read stops the load, naming the line', async () => {
      await expect(load('bad-header.csv', 'participant,"time,lat,lon\np,1,2,3\n', fakeTable())).rejects.toThrow(/bad-header\.csv, line 1: header: a quote opened on this line is never closed/);
    });
  });
});
