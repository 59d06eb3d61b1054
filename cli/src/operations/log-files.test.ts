import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followLogs, lastLines } from './log-files.js';

describe('lastLines', () => {
  it('takes the last lines, a trailing newline not counting as one', () => {
    expect(lastLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('a\nb', 5)).toEqual(['a', 'b']);
    expect(lastLines('', 3)).toEqual([]);
    expect(lastLines('a\n', 0)).toEqual([]);
  });
});

describe('followLogs', () => {
  it('prints whole lines appended after it started, prefixed when it follows several files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polluscope-logs-'));
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, 'old\n');
    writeFileSync(b, '');
    const seen: string[] = [];
    const stop = new AbortController();
    const following = followLogs({ a, b }, (line) => seen.push(line), 20, stop.signal);
    appendFileSync(a, 'new 1\nnew');
    appendFileSync(b, 'other\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    appendFileSync(a, ' 2\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    await following;
    expect(seen.sort()).toEqual(['a | new 1', 'a | new 2', 'b | other']);
  });
});
