/**
 * Loads CSV text into a raw table idempotently: COPY into a temporary staging table, then one
 * INSERT … ON CONFLICT DO NOTHING on the natural key, so loading the same rows twice adds nothing.
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

/**
 * Copies CSV (with a header line whose columns are exactly the table's COPY columns, in order)
 * into the raw table. Returns the number of rows actually inserted.
 */
export async function copyCsvIntoRaw(client: pg.ClientBase, kind: RawKind, csv: NodeJS.ReadableStream | string): Promise<number> {
  const { table, key } = RAW_TABLES[kind];
  const staging = `staging_${table}`;
  await client.query('BEGIN');
  try {
    await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${staging} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    const source = typeof csv === 'string' ? Readable.from([csv]) : csv;
    await pipeline(source, client.query(copyFrom(`COPY ${staging} (${columnList(kind)}) FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const result = await client.query(
      `INSERT INTO ${table} (${columnList(kind)}) SELECT ${columnList(kind)} FROM ${staging}
       ON CONFLICT (${key.map((c) => `"${c}"`).join(', ')}) DO NOTHING`,
    );
    await client.query('COMMIT');
    return result.rowCount ?? 0;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

export function copyCsvFileIntoRaw(client: pg.ClientBase, kind: RawKind, file: string): Promise<number> {
  return copyCsvIntoRaw(client, kind, createReadStream(file));
}
