/**
 * Loads CSV text into a raw table idempotently: COPY into a temporary staging table, then one
 * INSERT … ON CONFLICT DO NOTHING on the natural key, so loading the same rows twice adds nothing
 * (`copyCsvBatchIntoRaw` first tries a plain COPY, faster when the rows are all new).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RAW_TABLES, type RawKind } from './raw-tables.js';

/** Identifiers here are the fixed names of RAW_TABLES, never user input. */
function columnList(kind: RawKind): string {
  return RAW_TABLES[kind].columns.map((c) => `"${c}"`).join(', ');
}

/** COPY into the staging table, then INSERT … ON CONFLICT DO NOTHING; inside the caller's transaction. */
async function insertThroughStaging(client: pg.ClientBase, kind: RawKind, source: NodeJS.ReadableStream): Promise<number> {
  const { table, key } = RAW_TABLES[kind];
  const staging = `staging_${table}`;
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${staging} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  await pipeline(source, client.query(copyFrom(`COPY ${staging} (${columnList(kind)}) FROM STDIN WITH (FORMAT csv, HEADER true)`)));
  const result = await client.query(
    `INSERT INTO ${table} (${columnList(kind)}) SELECT ${columnList(kind)} FROM ${staging}
     ON CONFLICT (${key.map((c) => `"${c}"`).join(', ')}) DO NOTHING`,
  );
  return result.rowCount ?? 0;
}

/**
 * Copies CSV (with a header line whose columns are exactly the table's COPY columns, in order)
 * into the raw table. Returns the number of rows actually inserted.
 */
export async function copyCsvIntoRaw(client: pg.ClientBase, kind: RawKind, csv: NodeJS.ReadableStream | string): Promise<number> {
  await client.query('BEGIN');
  try {
    const inserted = await insertThroughStaging(client, kind, typeof csv === 'string' ? Readable.from([csv]) : csv);
    await client.query('COMMIT');
    return inserted;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * Same result as `copyCsvIntoRaw` for CSV text held in memory (a loader's batch), faster when
 * the rows are new: COPY straight into the table inside a savepoint, which is about twice as
 * fast as staging plus INSERT; at the first row already present (or repeated in the batch) the
 * savepoint is rolled back and the batch goes through the staging table instead.
 * Returns the number of rows actually inserted.
 */
export async function copyCsvBatchIntoRaw(client: pg.ClientBase, kind: RawKind, csv: string): Promise<number> {
  try {
    await client.query('BEGIN; SAVEPOINT direct_copy');
    let inserted: number;
    try {
      const copy = client.query(copyFrom(`COPY ${RAW_TABLES[kind].table} (${columnList(kind)}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
      await pipeline(Readable.from([csv]), copy);
      inserted = copy.rowCount ?? 0;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT direct_copy');
      inserted = await insertThroughStaging(client, kind, Readable.from([csv]));
    }
    await client.query('COMMIT');
    return inserted;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

export function copyCsvFileIntoRaw(client: pg.ClientBase, kind: RawKind, file: string): Promise<number> {
  return copyCsvIntoRaw(client, kind, createReadStream(file));
}
