/**
 * Row-for-row comparison of a warehouse table between a reference run and a run under a fault:
 * rows are matched on their primary key; what is missing, extra or changed is listed, so a failing
 * fault test says which table and which rows differ.
 */

export type Row = Readonly<Record<string, unknown>>;

export interface TableDiff {
  readonly table: string;
  readonly referenceRows: number;
  readonly runRows: number;
  readonly missing: readonly Row[];
  readonly extra: readonly Row[];
  readonly changed: ReadonlyArray<{ readonly reference: Row; readonly run: Row }>;
}

/** A value as text that is equal for equal values whatever the driver returned (Date, number, object). */
function canonical(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function rowText(row: Row): string {
  return canonical(row);
}

function keyOf(row: Row, key: readonly string[]): string {
  return key.map((column) => canonical(row[column])).join('|');
}

export function diffTable(table: string, key: readonly string[], reference: readonly Row[], run: readonly Row[]): TableDiff {
  const byKey = new Map<string, Row>();
  for (const row of run) byKey.set(keyOf(row, key), row);
  const missing: Row[] = [];
  const changed: Array<{ reference: Row; run: Row }> = [];
  const seen = new Set<string>();
  for (const row of reference) {
    const k = keyOf(row, key);
    seen.add(k);
    const other = byKey.get(k);
    if (other === undefined) missing.push(row);
    else if (rowText(other) !== rowText(row)) changed.push({ reference: row, run: other });
  }
  const extra = run.filter((row) => !seen.has(keyOf(row, key)));
  return { table, referenceRows: reference.length, runRows: run.length, missing, extra, changed };
}

export function isIdentical(diff: TableDiff): boolean {
  return diff.missing.length === 0 && diff.extra.length === 0 && diff.changed.length === 0;
}

/** Which columns of a changed row differ, as `column: reference → run`. */
function changedColumns(reference: Row, run: Row): string {
  const columns = new Set([...Object.keys(reference), ...Object.keys(run)]);
  return [...columns]
    .filter((c) => canonical(reference[c]) !== canonical(run[c]))
    .map((c) => `${c}: ${canonical(reference[c])} → ${canonical(run[c])}`)
    .join('; ');
}

/** A readable account of the differences, at most `limit` rows of each kind. */
export function describeDiff(diff: TableDiff, key: readonly string[], limit = 5): string {
  if (isIdentical(diff)) return `${diff.table}: identical (${diff.referenceRows} rows)`;
  const lines = [
    `${diff.table}: ${diff.referenceRows} rows in the reference, ${diff.runRows} in this run — ` +
      `${diff.missing.length} missing, ${diff.extra.length} extra, ${diff.changed.length} changed`,
  ];
  const keyText = (row: Row) => key.map((c) => `${c}=${canonical(row[c])}`).join(', ');
  for (const row of diff.missing.slice(0, limit)) lines.push(`  missing  ${keyText(row)}`);
  for (const row of diff.extra.slice(0, limit)) lines.push(`  extra    ${keyText(row)}`);
  for (const { reference, run } of diff.changed.slice(0, limit)) lines.push(`  changed  ${keyText(reference)}: ${changedColumns(reference, run)}`);
  return lines.join('\n');
}
