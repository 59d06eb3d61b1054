import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkpointPath,
  parseCheckpoint,
  readCheckpoint,
  removeCheckpoint,
  resumeDecision,
  writeCheckpoint,
  type LoadCheckpoint,
  type LoadTarget,
} from './load-checkpoint.js';

const checkpoint: LoadCheckpoint = {
  version: 1,
  kind: 'sensor',
  file: '/data/kit3.csv',
  sizeBytes: 5000,
  mtimeMs: 1_576_697_869_123.5,
  header: ['participant', 'time', 'pm25'],
  byteOffset: 2400,
  line: 41,
  rejectsFile: '/data/kit3.csv.rejects.csv',
  rejectsBytes: 120,
  counts: { linesRead: 40, inserted: 36, alreadyPresent: 1, rejected: 3, batches: 4 },
};
const target: LoadTarget = { kind: 'sensor', file: '/data/kit3.csv', sizeBytes: 5000, mtimeMs: 1_576_697_869_123.5, rejectsFile: '/data/kit3.csv.rejects.csv' };

describe('checkpointPath', () => {
  it('sits next to the input', () => {
    expect(checkpointPath('/data/kit3.csv')).toBe('/data/kit3.csv.load-state.json');
  });
});

describe('parseCheckpoint', () => {
  it('round-trips a checkpoint', () => {
    expect(parseCheckpoint(JSON.stringify(checkpoint))).toEqual(checkpoint);
  });

  it('round-trips the checkpoint of a load in time order', () => {
    const sorted = { ...checkpoint, byteOffset: 5000, sortedRowsDone: 30 };
    expect(parseCheckpoint(JSON.stringify(sorted))).toEqual(sorted);
  });

  it('refuses anything else', () => {
    expect(parseCheckpoint(JSON.stringify({ ...checkpoint, sortedRowsDone: -3 }))).toBeNull();
    expect(parseCheckpoint('{not json')).toBeNull();
    expect(parseCheckpoint('null')).toBeNull();
    expect(parseCheckpoint(JSON.stringify({ ...checkpoint, version: 2 }))).toBeNull();
    expect(parseCheckpoint(JSON.stringify({ ...checkpoint, kind: 'weather' }))).toBeNull();
    expect(parseCheckpoint(JSON.stringify({ ...checkpoint, byteOffset: -1 }))).toBeNull();
    expect(parseCheckpoint(JSON.stringify({ ...checkpoint, counts: { ...checkpoint.counts, inserted: 'many' } }))).toBeNull();
  });
});

describe('resumeDecision', () => {
  it('resumes an unchanged file', () => {
    expect(resumeDecision(checkpoint, target)).toEqual({ resume: true, checkpoint });
  });

  it('starts over without a checkpoint', () => {
    expect(resumeDecision(null, target)).toEqual({ resume: false, reason: 'no checkpoint' });
  });

  it('starts over when the file changed in size or time', () => {
    expect(resumeDecision(checkpoint, { ...target, sizeBytes: 5001 })).toEqual({ resume: false, reason: 'the file changed since the checkpoint' });
    expect(resumeDecision(checkpoint, { ...target, mtimeMs: target.mtimeMs + 1 })).toEqual({ resume: false, reason: 'the file changed since the checkpoint' });
  });

  it('starts over for another kind, file or rejects file', () => {
    expect(resumeDecision(checkpoint, { ...target, kind: 'gps' })).toEqual({ resume: false, reason: 'the checkpoint is for --kind sensor' });
    expect(resumeDecision(checkpoint, { ...target, file: '/data/other.csv' })).toEqual({ resume: false, reason: 'the checkpoint is for /data/kit3.csv' });
    expect(resumeDecision(checkpoint, { ...target, rejectsFile: '/tmp/r.csv' })).toEqual({
      resume: false,
      reason: 'the checkpoint wrote its rejects to /data/kit3.csv.rejects.csv',
    });
  });

  it('starts over when the offset is past the end', () => {
    expect(resumeDecision({ ...checkpoint, byteOffset: 5001 }, target)).toEqual({ resume: false, reason: 'the checkpoint points past the end of the file' });
  });
});

describe('checkpoint file', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('is written whole, read back and removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'polluscope-checkpoint-'));
    dirs.push(dir);
    const path = checkpointPath(join(dir, 'kit3.csv'));
    expect(await readCheckpoint(path)).toBeNull();
    await writeCheckpoint(path, checkpoint);
    expect(await readdir(dir)).toEqual(['kit3.csv.load-state.json']);
    expect(await readCheckpoint(path)).toEqual(checkpoint);
    await removeCheckpoint(path);
    expect(await readdir(dir)).toEqual([]);
  });
});
