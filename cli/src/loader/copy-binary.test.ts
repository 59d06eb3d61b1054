import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CopyBinaryWriter, type CopyType } from './copy-binary.js';
import { RAW_TABLES } from './raw-tables.js';

const hex = (buffer: Buffer) => buffer.toString('hex');
const SIGNATURE = '5047434f50590aff0d0a00' + '00000000' + '00000000';
const TRAILER = 'ffff';

describe('CopyBinaryWriter', () => {
  it('writes the signature, the flags, the extension length and the trailer around no rows', () => {
    const writer = new CopyBinaryWriter();
    expect(writer.rows).toBe(0);
    expect(hex(writer.finish())).toBe(SIGNATURE + TRAILER);
  });

  it('writes each field as its length and its big-endian bytes, NULL as length -1', () => {
    const writer = new CopyBinaryWriter();
    const types: CopyType[] = ['text', 'int4', 'float8', 'text'];
    writer.row(types, ['é', -2, 1.5, null]);
    expect(writer.rows).toBe(1);
    const row =
      '0004' + // four fields
      '00000002' + 'c3a9' + // 'é' in UTF-8
      '00000004' + 'fffffffe' + // -2
      '00000008' + '3ff8000000000000' + // 1.5
      'ffffffff'; // NULL
    expect(hex(writer.finish())).toBe(SIGNATURE + row + TRAILER);
  });

  it('writes times as microseconds since 2000-01-01 UTC, and -0 as 0', () => {
    const writer = new CopyBinaryWriter();
    writer.row(['timestamptz', 'timestamptz', 'timestamptz', 'float8'], [Date.UTC(2000, 0, 1), Date.UTC(2000, 0, 1, 0, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), -0]);
    const row = '0004' + '00000008' + '0000000000000000' + '00000008' + '00000000000f4240' + '00000008' + 'fffffffffffffc18' + '00000008' + '0000000000000000';
    expect(hex(writer.finish())).toBe(SIGNATURE + row + TRAILER);
  });

  it('grows past its initial size without losing rows', () => {
    const writer = new CopyBinaryWriter(32);
    const long = 'x'.repeat(100);
    for (let i = 0; i < 50; i++) writer.row(['int4', 'text'], [i, long]);
    const data = writer.finish();
    expect(writer.rows).toBe(50);
    expect(data.length).toBe(19 + 50 * (2 + 8 + 4 + 100) + 2);
    // The 50th row's int4 value, after the header and 49 rows.
    expect(data.readInt32BE(19 + 49 * 114 + 2 + 4)).toBe(49);
  });
});

describe('RAW_TABLES types', () => {
  const schema = readFileSync(new URL('../../../infrastructure/postgres/rawdata/001-schema.sql', import.meta.url), 'utf8');
  const SQL_TYPE: Readonly<Record<CopyType, string>> = { text: 'text', int4: 'integer', float8: 'double precision', timestamptz: 'timestamptz' };

  it('match the columns declared in the rawdata schema', () => {
    for (const { table, columns, types } of Object.values(RAW_TABLES)) {
      const body = schema.slice(schema.indexOf(` ${table} (`));
      expect(types).toHaveLength(columns.length);
      columns.forEach((column, i) => {
        const declared = new RegExp(`^\\s*${column} (text|integer|double precision|timestamptz)\\b`, 'm').exec(body);
        expect(declared?.[1], `${table}.${column}`).toBe(SQL_TYPE[types[i] as CopyType]);
      });
    }
  });
});
