/**
 * The warehouse's label_groups table (infrastructure/postgres/warehouse/005-label-groups.sql) holds
 * the same vocabulary as the TypeScript one the services use (services/common/src/domain/labels.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANONICAL_LABELS, MOVE_MODES, labelGroup } from '@polluscope/common/domain';

const SQL_FILE = new URL('../../infrastructure/postgres/warehouse/005-label-groups.sql', import.meta.url);
const ROW = /^\s*\('([^']*)', '([^']*)', (true|false)\),?$/gmu;

/** The VALUES rows of the file, as [label, group, move mode]. */
function rowsInSqlFile(): [string, string, boolean][] {
  const text = readFileSync(SQL_FILE, 'utf8');
  return [...text.matchAll(ROW)].map((m) => [m[1] ?? '', m[2] ?? '', m[3] === 'true']);
}

/** The rows the TypeScript vocabulary gives, in its order. */
function rowsFromVocabulary(): [string, string, boolean][] {
  return CANONICAL_LABELS.map((label) => [label, labelGroup(label), MOVE_MODES.includes(label)]);
}

/** The lines to paste into the file when the vocabulary changed. */
function sqlRows(rows: readonly [string, string, boolean][]): string {
  return rows.map(([label, group, move], i) => `    ('${label}', '${group}', ${move})${i < rows.length - 1 ? ',' : ''}`).join('\n');
}

describe('label_groups in the warehouse', () => {
  it('lists every canonical label with its group and move mode, in the vocabulary order', () => {
    const expected = rowsFromVocabulary();
    const found = rowsInSqlFile();
    expect(found, `005-label-groups.sql is out of date; its rows should read:\n${sqlRows(expected)}\n`).toEqual(expected);
  });

  it('writes the labels in Unicode NFC, as the services write final and declared labels', () => {
    for (const [label] of rowsInSqlFile()) expect(label).toBe(label.normalize('NFC'));
  });

  it('has every label group the services know and no other', () => {
    const groups = new Set(rowsInSqlFile().map(([, group]) => group));
    expect([...groups].sort()).toEqual(['indoor', 'outdoor', 'transport']);
    expect(readFileSync(SQL_FILE, 'utf8')).toContain("CHECK (label_group IN ('indoor', 'outdoor', 'transport'))");
  });
});
