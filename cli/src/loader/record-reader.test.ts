import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextLineEnd, readRecords, type ReadItem } from './record-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'record-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Each item as `line: fields` or `line! reason`. */
async function read(path: string, options: Partial<Parameters<typeof readRecords>[0]> = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const item of readRecords({ path, ...options }) as AsyncIterable<ReadItem>) {
    out.push('unreadable' in item ? `${item.line}! ${item.reason}` : `${item.line}: ${item.record.join('|')}`);
  }
  return out;
}

describe('readRecords', () => {
  it('reads records with their line numbers, header = 1, empty lines counted', async () => {
    expect(await read(file('a,b\n1,2\n\n3,"4\nx"\n5,6'))).toEqual(['1: a|b', '2: 1|2', '5: 3|4\nx', '6: 5|6']);
  });

  it('skips a record over the size limit and resumes at the next line', async () => {
    const long = 'z'.repeat(5000);
    const lines = await read(file(`a,b\n1,2\n${long},3\n4,5\n`), { maxRecordBytes: 1000 });
    expect(lines).toEqual(['1: a|b', '2: 1|2', '3! record longer than 1000 bytes (an unclosed quote, or not a CSV line); skipped up to the next line', '4: 4|5']);
  });

  it('a stray quote never closed costs its line only, whether the rest is long or short', async () => {
    const rest = Array.from({ length: 300 }, (_, i) => `${i},x`).join('\n');
    const long = await read(file(`a,b\n1,"2\n${rest}\n`), { maxRecordBytes: 1000 });
    expect(long.slice(0, 3)).toEqual(['1: a|b', expect.stringMatching(/^2! record longer than 1000 bytes/), '3: 0|x']);
    expect(long.length).toBe(2 + 300);
    expect(long.at(-1)).toBe('302: 299|x');
    expect(await read(file('a,b\n1,"2\n3,4\n'))).toEqual(['1: a|b', '2! a quote opened on this line is never closed', '3: 3|4']);
  });

  it('a quote inside a field: the line is unreadable, the next ones are read', async () => {
    expect(await read(file('a,b\n1,x"y\n3,4\n'))).toEqual(['1: a|b', expect.stringMatching(/^2! broken quoting: .*INVALID_OPENING_QUOTE/), '3: 3|4']);
  });

  it('a multi-line record the caller calls a stray quote: its first line is unreadable, reading resumes after it', async () => {
    const strayQuote = (record: readonly string[]) => (record.length === 2 ? null : `${record.length} fields`);
    expect(await read(file('a,b\n1,"2\n3,4\n5",6\n7,8\n'), { strayQuote })).toEqual([
      '1: a|b',
      '2! 3 fields',
      '3: 3|4',
      expect.stringMatching(/^4! broken quoting: .*INVALID_OPENING_QUOTE/),
      '5: 7|8',
    ]);
    // A legitimate multi-line field stays one record.
    expect(await read(file('a,b\n1,"2\nmore"\n3,4\n'), { strayQuote })).toEqual(['1: a|b', '3: 1|2\nmore', '4: 3|4']);
  });

  it('starts at a byte offset with the line numbers that precede it', async () => {
    const path = file('a,b\n1,2\n3,4\n');
    expect(await read(path, { startByte: 8, startLine: 2 })).toEqual(['3: 3|4']);
  });

  it('counts CRLF line breaks as one line', async () => {
    expect(await read(file('a,b\r\n1,x"y\r\n3,4\r\n'))).toEqual(['1: a|b', expect.stringMatching(/^2! /), '3: 3|4']);
  });
});

describe('nextLineEnd', () => {
  it('finds the first non-empty line and the byte after it', async () => {
    const path = file('a\n\n\r\nbb\ncc');
    expect(await nextLineEnd(path, 2, 1)).toEqual({ line: 4, endByte: 8, atEnd: false });
    expect(await nextLineEnd(path, 8, 4)).toEqual({ line: 5, endByte: 10, atEnd: true });
    expect(await nextLineEnd(path, 10, 5)).toBeNull();
  });
});
