/**
 * The simulator's records in the column order of the raw database tables (docs/design.md §3.1,
 * infrastructure/postgres/rawdata/001-schema.sql), ready for a COPY into rawdata.
 */
import type { SimulationParams } from './params.js';
import { isoTime } from './csv.js';
import { simulate, type GpsRecord, type SensorRecord } from './simulate.js';

export const SENSOR_MEASUREMENT_COLUMNS = [
  'participant_virtual_id', 'kit_id', 'time', 'pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity', 'activity', 'event',
] as const;
export const GPS_POSITION_COLUMNS = ['participant_virtual_id', 'tablet_id', 'time', 'lat', 'lon'] as const;

/** One table row; `null` is SQL NULL, times are ISO-8601 UTC text. */
export type RawRow = readonly (string | number | null)[];

export function sensorMeasurementRow(r: SensorRecord): RawRow {
  return [r.participantId, r.kitId, isoTime(r.timeMs), r.pm1, r.pm25, r.pm10, r.no2, r.bc, r.temperature, r.humidity, r.activity, r.event];
}

export function gpsPositionRow(r: GpsRecord): RawRow {
  return [r.participantId, r.tabletId, isoTime(r.timeMs), r.lat, r.lon];
}

/** Rows for `sensor_measurements` and `gps_positions`, one participant-day per batch. */
export function* simulateRawRows(params: SimulationParams): Generator<{ sensorMeasurements: RawRow[]; gpsPositions: RawRow[] }> {
  for (const chunk of simulate(params)) {
    yield { sensorMeasurements: chunk.sensor.map(sensorMeasurementRow), gpsPositions: chunk.gps.map(gpsPositionRow) };
  }
}
