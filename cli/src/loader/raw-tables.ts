/** The raw database's two tables as the loaders see them (infrastructure/postgres/rawdata/001-schema.sql). */
import type { CopyType } from './copy-binary.js';

export type RawKind = 'sensor' | 'gps';

export interface RawTable {
  readonly table: string;
  /** Columns in COPY order; the id is generated. */
  readonly columns: readonly string[];
  /** Their types for binary COPY, in the same order. */
  readonly types: readonly CopyType[];
  readonly key: readonly string[];
}

export const RAW_TABLES: Readonly<Record<RawKind, RawTable>> = Object.freeze({
  sensor: {
    table: 'sensor_measurements',
    columns: ['participant_virtual_id', 'kit_id', 'time', 'pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity', 'activity', 'event'],
    types: ['text', 'int4', 'timestamptz', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'text', 'text'],
    key: ['participant_virtual_id', 'time'],
  },
  gps: {
    table: 'gps_positions',
    columns: ['participant_virtual_id', 'tablet_id', 'time', 'lat', 'lon'],
    types: ['text', 'int4', 'timestamptz', 'float8', 'float8'],
    key: ['participant_virtual_id', 'time'],
  },
});
