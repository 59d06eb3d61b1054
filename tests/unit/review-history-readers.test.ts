/**
 * review_decisions keeps every decision (007-review-history.sql); a segment's current decision is
 * its latest, view review_decisions_latest. A query that joins or selects from the table itself
 * would count a segment once per decision (a minute exported twice, a queue row twice), so every
 * reader of "the decision" reads the view; the few that want the history say so below.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The project's code and SQL; tests read the table freely (they count the history). */
const SCANNED = /^((services\/[^/]+\/src|console\/src|cli\/src)\/.*(?<!\.test)\.ts|infrastructure\/postgres\/warehouse\/.*\.sql)$/;

/** `FROM review_decisions` or `JOIN review_decisions`, not the view. */
const READS_TABLE = /\b(FROM|JOIN)\s+review_decisions\b(?!_latest)/gi;

/** Where reading the whole history is the point. */
const HISTORY_READERS: Readonly<Record<string, string>> = {
  'infrastructure/postgres/warehouse/003-views.sql': 'defines review_decisions_latest from the history',
  'console/src/server/review-queue-reader.ts': "the review queue shows each segment's history of decisions",
};

export function tableReads(text: string): number[] {
  const lines: number[] = [];
  for (const m of text.matchAll(READS_TABLE)) lines.push(text.slice(0, m.index).split('\n').length);
  return lines;
}

describe('readers of review decisions', () => {
  it('the scanner finds a join on the table and passes the view', () => {
    expect(tableReads('SELECT 1\nFROM sensor_clean s LEFT JOIN review_decisions r ON true')).toEqual([2]);
    expect(tableReads('SELECT * FROM review_decisions_latest')).toEqual([]);
    expect(tableReads('DELETE FROM review_decisions WHERE x')).toEqual([1]);
  });

  it('read the latest decision per segment (review_decisions_latest), except the history readers listed', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => SCANNED.test(f));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => tableReads(readFileSync(join(ROOT, file), 'utf8')).map((line) => ({ file, line })));
    const unexpected = found.filter((f) => !(f.file in HISTORY_READERS)).map((f) => `${f.file}:${f.line}`);
    expect(unexpected, 'read review_decisions_latest instead (or add the file to HISTORY_READERS, saying why)').toEqual([]);
    for (const file of Object.keys(HISTORY_READERS)) expect(found.map((f) => f.file), file).toContain(file);
  });
});
