/** The raw database's two tables as the loaders see them (infrastructure/postgres/rawdata/001-schema.sql). */
export type RawKind = 'sensor' | 'gps';

export interface RawTable {
  readonly table: string;
  /** Columns in COPY order; the id is generated. */
  readonly columns: readonly string[];
  readonly key: readonly string[];
}

export const RAW_TABLES: Readonly<Record<RawKind, RawTable>> = Object.freeze({
  sensor: {
    table: 'sensor_measurements',
    columns: ['participant_virtual_id', 'kit_id', 'time', 'pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity', 'activity', 'event'],
    key: ['participant_virtual_id', 'time'],
  },
  gps: {
    table: 'gps_positions',
    columns: ['participant_virtual_id', 'tablet_id', 'time', 'lat', 'lon'],
    key: ['participant_virtual_id', 'time'],
  },
});
