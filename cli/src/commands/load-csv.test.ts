import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../csv-io.js';
import { buildProgram } from '../main.js';
import type { FileLoadResult } from '../loader/load-csv-file.js';
import { fileSummaryLine, formatLoadSummary, loadCsvParamsFromOptions, progressView } from './load-csv.js';

const defaultUrl = (): string => 'postgresql://u:p@127.0.0.1:5435/rawdata';

const result = (over: Partial<FileLoadResult> = {}): FileLoadResult => ({
  file: 'kit3.csv',
  rejectsFile: null,
  resumedAfterLine: null,
  checkpointIgnored: null,
  counts: { linesRead: 1000, inserted: 990, alreadyPresent: 6, rejected: 4, batches: 1 },
  linesReadThisRun: 1000,
  elapsedMs: 500,
  interrupted: false,
  timeOrder: { insertedIn: 'file-order' },
  ...over,
});

describe('loadCsvParamsFromOptions', () => {
  it('reads the batch size and falls back to the stack database', () => {
    expect(loadCsvParamsFromOptions(['a.csv', 'b.csv'], { kind: 'gps', batchSize: '1000', sortMemoryMb: '1024' }, defaultUrl)).toEqual({
      kind: 'gps',
      files: ['a.csv', 'b.csv'],
      rejectsFile: null,
      batchSize: 1000,
      maxSortBytes: 1024 * 1024 * 1024,
      maxRecordBytes: 64 * 1024,
      databaseUrl: 'postgresql://u:p@127.0.0.1:5435/rawdata',
      reprocess: true,
    });
    expect(loadCsvParamsFromOptions(['a.csv'], { kind: 'sensor', batchSize: '50000', sortMemoryMb: '3', maxRecordKib: '8', rejects: 'r.csv', databaseUrl: 'postgresql://x/y', reprocess: false }, defaultUrl)).toEqual({
      kind: 'sensor',
      files: ['a.csv'],
      rejectsFile: 'r.csv',
      batchSize: 50_000,
      maxSortBytes: 3 * 1024 * 1024,
      maxRecordBytes: 8 * 1024,
      databaseUrl: 'postgresql://x/y',
      reprocess: false,
    });
  });

  it('refuses a bad batch size, and one rejects file for several inputs', () => {
    expect(() => loadCsvParamsFromOptions(['a.csv'], { kind: 'sensor', batchSize: '0', sortMemoryMb: '1' }, defaultUrl)).toThrow(new InputError('--batch-size', null, null, 'not a positive integer: "0"'));
    expect(() => loadCsvParamsFromOptions(['a.csv'], { kind: 'sensor', batchSize: 'lots', sortMemoryMb: '1' }, defaultUrl)).toThrow('--batch-size: not a positive integer: "lots"');
    expect(() => loadCsvParamsFromOptions(['a.csv', 'b.csv'], { kind: 'sensor', batchSize: '10', sortMemoryMb: '1', rejects: 'r.csv' }, defaultUrl)).toThrow(
      '--rejects: names one rejects file, so it takes one input file; without it each FILE gets FILE.rejects.csv',
    );
    expect(() => loadCsvParamsFromOptions(['a.csv'], { kind: 'sensor', batchSize: '10', sortMemoryMb: '0.5' }, defaultUrl)).toThrow('--sort-memory-mb: not a positive integer: "0.5"');
    expect(() => loadCsvParamsFromOptions(['a.csv'], { kind: 'sensor', batchSize: '10', sortMemoryMb: '1', maxRecordKib: '0' }, defaultUrl)).toThrow('--max-record-kib: not a positive integer: "0"');
  });
});

describe('summaries', () => {
  it('sums the files and gives the rate of this run', () => {
    const second = result({ file: 'kit4.csv', counts: { linesRead: 3000, inserted: 0, alreadyPresent: 3000, rejected: 0, batches: 1 }, linesReadThisRun: 1000 });
    expect(formatLoadSummary([result(), second], 4000)).toBe(
      [
        'files:            2',
        'lines read:       4000',
        'inserted:         990',
        'already present:  3006',
        'rejected:         4',
        'elapsed:          4.0 s',
        'rows/s:           500',
      ].join('\n'),
    );
  });

  it('says where the rejects went and whether the load resumed', () => {
    expect(fileSummaryLine(result())).toBe('kit3.csv: 1000 lines, 990 inserted, 6 already present, 4 rejected');
    expect(fileSummaryLine(result({ rejectsFile: '/d/kit3.csv.rejects.csv', resumedAfterLine: 501, checkpointIgnored: null }))).toBe(
      'kit3.csv: 1000 lines, 990 inserted, 6 already present, 4 rejected; rejects in /d/kit3.csv.rejects.csv; resumed after line 501',
    );
    expect(fileSummaryLine(result({ checkpointIgnored: 'the file changed since the checkpoint', interrupted: true }))).toBe(
      'kit3.csv: 1000 lines, 990 inserted, 6 already present, 4 rejected; checkpoint ignored: the file changed since the checkpoint; stopped early, checkpoint kept',
    );
  });

  it('says when the file was sorted before it was inserted', () => {
    const firstStepBack = { participant: 'p1', line: 302, timeMs: Date.UTC(2019, 11, 18, 19, 27, 50), afterMs: Date.UTC(2019, 11, 18, 19, 37, 49) };
    expect(fileSummaryLine(result({ timeOrder: { insertedIn: 'time-order', stepsBack: 430, firstStepBack, resumedAfterRows: 2000 } }))).toBe(
      'kit3.csv: 1000 lines, 990 inserted, 6 already present, 4 rejected; not in time order per participant (430 steps back, the first at line 302: ' +
        'participant p1 at 2019-12-18T19:27:50Z after 2019-12-18T19:37:49Z): inserted sorted by participant and time; resumed after 2000 sorted rows',
    );
  });
});

describe('progressView', () => {
  it('writes plain lines when the stream is not a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
    const view = progressView(stream);
    view.update({ file: 'kit3.csv', sizeBytes: 1000, bytesRead: 250, linesRead: 2500, linesReadThisRun: 2500 });
    view.update({ file: 'kit3.csv', sizeBytes: 1000, bytesRead: 500, linesRead: 5000, linesReadThisRun: 5000 });
    view.finish(result());
    expect(text).toBe('kit3.csv: 2500 lines read (25 %)\nkit3.csv: 1000 lines, 990 inserted, 6 already present, 4 rejected\n');
  });
});

describe('polluscope load-csv --help', () => {
  it('documents the accepted column names', () => {
    const help = buildProgram().commands.find((c) => c.name() === 'load-csv');
    let text = '';
    help?.configureOutput({ writeOut: (s) => (text += s) });
    help?.outputHelp();
    expect(text).toContain('  pm25                    pm25, pm2.5, pm2_5');
    expect(text).toContain('  lon                     lon, lng, longitude (required)');
    expect(text).toContain('--batch-size <lines>');
  });
});
