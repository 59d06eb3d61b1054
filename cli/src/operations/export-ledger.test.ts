import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseFromExports, parseLedger, recordExports } from './export-ledger.js';

describe('parseLedger', () => {
  it('lists each file once, in the order first written', () => {
    const text = ['{"path":"/a.csv","writtenAt":"x"}', '{"path":"/b.csv","writtenAt":"y"}', '{"path":"/a.csv","writtenAt":"z"}', ''].join('\n');
    expect(parseLedger(text, 'ledger')).toEqual(['/a.csv', '/b.csv']);
  });

  it('names the line that is not an entry', () => {
    expect(() => parseLedger('{"path":"/a.csv"}\nnot json\n', 'exports.jsonl')).toThrow('exports.jsonl, line 2: not a JSON object');
  });
});

describe('eraseFromExports', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'erase-exports-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('rewrites each recorded file without the participant, and says which files are gone', async () => {
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'participant_virtual_id,time,micro_environment\nsim-001,2026-01-05T08:00:00Z,Domicile\nsim-002,2026-01-05T08:00:00Z,Bureau\nsim-001,2026-01-05T08:01:00Z,Domicile\n');
    const ledger = join(dir, 'exports.jsonl');
    await recordExports(ledger, [labels, join(dir, 'deleted.csv')]);

    expect(await eraseFromExports(ledger, 'sim-001', true)).toEqual([{ path: labels, rows: 2 }, { path: join(dir, 'deleted.csv'), rows: null }]);
    expect(await readFile(labels, 'utf8')).toContain('sim-001');

    expect(await eraseFromExports(ledger, 'sim-001', false)).toEqual([{ path: labels, rows: 2 }, { path: join(dir, 'deleted.csv'), rows: null }]);
    expect(await readFile(labels, 'utf8')).toBe('participant_virtual_id,time,micro_environment\nsim-002,2026-01-05T08:00:00Z,Bureau\n');
  });

  it('finds nothing when no export was ever written', async () => {
    expect(await eraseFromExports(join(dir, 'none.jsonl'), 'sim-001', false)).toEqual([]);
  });
});
