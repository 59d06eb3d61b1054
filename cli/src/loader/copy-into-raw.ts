/**
 * Loads rows into a raw table idempotently: COPY into a temporary staging table, then one
 * INSERT … ON CONFLICT DO NOTHING on the natural key, so loading the same rows twice adds nothing
 * (`copyBatchIntoRaw` first tries a plain COPY, faster when the rows are all new).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RAW_TABLES, type RawKind } from './raw-tables.js';

/** CSV text with a header line of the table's COPY columns, in order; or binary COPY data (copy-binary.ts). */
export type CopyFormat = 'csv' | 'binary';

const COPY_OPTIONS: Readonly<Record<CopyFormat, string>> = { csv: '(FORMAT csv, HEADER true)', binary: '(FORMAT binary)' };

function columnList(kind: RawKind): string {
  return RAW_TABLES[kind].columns.map((c) => pg.escapeIdentifier(c)).join(', ');
}

/** `COPY table (the kind's columns) FROM STDIN WITH (…format…)`. */
export function copyStatement(table: string, kind: RawKind, format: CopyFormat): string {
  return `COPY ${pg.escapeIdentifier(table)} (${columnList(kind)}) FROM STDIN WITH ${COPY_OPTIONS[format]}`;
}

const stagingTable = (kind: RawKind): string => `staging_${RAW_TABLES[kind].table}`;

/** COPY into the staging table, then INSERT … ON CONFLICT DO NOTHING; inside the caller's transaction. */
async function insertThroughStaging(client: pg.ClientBase, kind: RawKind, source: NodeJS.ReadableStream, format: CopyFormat): Promise<number> {
  const table = pg.escapeIdentifier(RAW_TABLES[kind].table);
  const staging = pg.escapeIdentifier(stagingTable(kind));
  const key = RAW_TABLES[kind].key.map((c) => pg.escapeIdentifier(c)).join(', ');
  // Only the COPY columns: the id is drawn once, by the INSERT.
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${staging} ON COMMIT DELETE ROWS AS SELECT ${columnList(kind)} FROM ${table} WITH NO DATA`);
  await pipeline(source, client.query(copyFrom(copyStatement(stagingTable(kind), kind, format))));
  const result = await client.query(`INSERT INTO ${table} (${columnList(kind)}) SELECT ${columnList(kind)} FROM ${staging} ON CONFLICT (${key}) DO NOTHING`);
  return result.rowCount ?? 0;
}

/**
 * Copies CSV (with a header line whose columns are exactly the table's COPY columns, in order)
 * into the raw table. Returns the number of rows actually inserted.
 */
export async function copyCsvIntoRaw(client: pg.ClientBase, kind: RawKind, csv: NodeJS.ReadableStream | string): Promise<number> {
  await client.query('BEGIN');
  try {
    const source = typeof csv === 'string' ? Readable.from([csv]) : csv;
    const inserted = await insertThroughStaging(client, kind, source, 'csv');
    await client.query('COMMIT');
    return inserted;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * Same result as `copyCsvIntoRaw` for a batch held in memory, in one transaction, faster when the
 * rows are new: COPY straight into the table inside a savepoint, about twice as fast as staging
 * plus INSERT (ON CONFLICT inserts row by row and logs each speculative insertion); at the first
 * row already present (or repeated in the batch) the savepoint is rolled back and the batch goes
 * through the staging table instead. Returns the number of rows actually inserted.
 */
export async function copyBatchIntoRaw(client: pg.ClientBase, kind: RawKind, data: Buffer | string, format: CopyFormat): Promise<number> {
  try {
    await client.query('BEGIN; SAVEPOINT direct_copy');
    let inserted: number;
    try {
      const copy = client.query(copyFrom(copyStatement(RAW_TABLES[kind].table, kind, format)));
      await pipeline(Readable.from([data]), copy);
      inserted = copy.rowCount ?? 0;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT direct_copy');
      inserted = await insertThroughStaging(client, kind, Readable.from([data]), format);
    }
    await client.query('COMMIT');
    return inserted;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** `copyBatchIntoRaw` for CSV text. */
export function copyCsvBatchIntoRaw(client: pg.ClientBase, kind: RawKind, csv: string): Promise<number> {
  return copyBatchIntoRaw(client, kind, csv, 'csv');
}

export function copyCsvFileIntoRaw(client: pg.ClientBase, kind: RawKind, file: string): Promise<number> {
  return copyCsvIntoRaw(client, kind, createReadStream(file));
}
