import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, readCsv } from './csv-io.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCsv', () => {
  it('says a missing file is not found instead of crashing on an unhandled stream error', async () => {
    const error = await readCsv('/nonexistent/polluscope-input.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('/nonexistent/polluscope-input.csv: file not found');
  });

  it('stops at a stray quote, naming the line where it opened, without reading on for ever', async () => {
    const rest = Array.from({ length: 20_000 }, (_, i) => `${i},x`).join('\n');
    const file = join(dir, 'stray.csv');
    writeFileSync(file, `a,b\n1,2\n3,"4\n${rest}\n`);
    await expect(readCsv(file)).rejects.toThrow(`${file}, line 3: a record longer than 65536 bytes starts here (a stray quote?)`);
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'a,b\n1,2\n3,"4\n5,6\n');
    await expect(readCsv(short)).rejects.toThrow(`${short}, line 3: a quote opened here is never closed (a stray quote?)`);
  });
});
