/**
 * The simulator's CSV files as text, chunk by chunk (pure: the command only writes the text).
 * Times are ISO-8601 UTC with `Z`; a missing value is an empty cell, never 0.
 */
import { gpsCsvBytes } from './gps-csv-bytes.js';
import type { GpsRecord, SensorRecord, SimulationChunk, TruthEvent, TruthMinute, TruthStop } from './simulate.js';

export const SENSOR_CSV_COLUMNS = [
  'participant_virtual_id', 'kit_id', 'time', 'pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity', 'activity', 'event',
] as const;
export const GPS_CSV_COLUMNS = ['participant_virtual_id', 'tablet_id', 'time', 'lat', 'lon'] as const;
export const TRUTH_MINUTES_CSV_COLUMNS = ['participant_virtual_id', 'time', 'micro_environment', 'is_stop'] as const;
export const TRUTH_STOPS_CSV_COLUMNS = ['participant_virtual_id', 'start', 'end', 'label', 'lat', 'lon'] as const;
export const TRUTH_FAULTS_CSV_COLUMNS = ['participant_virtual_id', 'time', 'variable', 'fault'] as const;
export const TRUTH_EVENTS_CSV_COLUMNS = ['participant_virtual_id', 'start', 'end', 'event'] as const;

/** The files of a simulation run, by name. */
export const SIMULATION_FILES = {
  sensor: { name: 'sensor.csv', columns: SENSOR_CSV_COLUMNS },
  gps: { name: 'gps.csv', columns: GPS_CSV_COLUMNS },
  truthMinutes: { name: 'truth_minutes.csv', columns: TRUTH_MINUTES_CSV_COLUMNS },
  truthStops: { name: 'truth_stops.csv', columns: TRUTH_STOPS_CSV_COLUMNS },
  truthFaults: { name: 'truth_faults.csv', columns: TRUTH_FAULTS_CSV_COLUMNS },
  truthEvents: { name: 'truth_events.csv', columns: TRUTH_EVENTS_CSV_COLUMNS },
} as const;

export type SimulationFile = keyof typeof SIMULATION_FILES;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** `mm:ss` for every second of an hour, and `.mmmZ` for every millisecond: built once. */
const MINUTE_SECOND = Array.from({ length: 3600 }, (_, i) => `${pad(Math.floor(i / 60), 2)}:${pad(i % 60, 2)}`);
const MILLIS_Z = Array.from({ length: 1000 }, (_, i) => `.${pad(i, 3)}Z`);
let cachedHourMs = Number.NaN;
let cachedHourPrefix = '';

/**
 * `new Date(ms).toISOString()` for the years the simulator writes, several times faster on
 * sorted times: the `YYYY-MM-DDTHH:` prefix is cached and the rest comes from tables.
 *
 * @example isoTime(1767592800000) // '2026-01-05T06:00:00.000Z'
 */
export function isoTime(ms: number): string {
  const hourMs = Math.floor(ms / 3_600_000) * 3_600_000;
  if (hourMs !== cachedHourMs) {
    cachedHourMs = hourMs;
    cachedHourPrefix = new Date(hourMs).toISOString().slice(0, 14);
  }
  const inHour = ms - hourMs;
  const second = Math.floor(inHour / 1000);
  return cachedHourPrefix + MINUTE_SECOND[second] + MILLIS_Z[inHour - second * 1000];
}

/** Quotes a text cell only when CSV requires it. */
export function textCell(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const num = (value: number | null): string => (value === null ? '' : String(value));

export function csvHeader(file: SimulationFile): string {
  return `${SIMULATION_FILES[file].columns.join(',')}\n`;
}

export function sensorCsvLine(r: SensorRecord): string {
  return `${r.participantId},${r.kitId},${isoTime(r.timeMs)},${num(r.pm1)},${num(r.pm25)},${num(r.pm10)},${num(r.no2)},${num(r.bc)},${num(r.temperature)},${num(r.humidity)},${textCell(r.activity)},${textCell(r.event)}\n`;
}

export function gpsCsvLine(r: GpsRecord): string {
  return r.participantId + ',' + r.tabletId + ',' + isoTime(r.timeMs) + ',' + r.lat + ',' + r.lon + '\n';
}

export function truthMinuteCsvLine(r: TruthMinute): string {
  return `${r.participantId},${isoTime(r.timeMs)},${r.microEnvironment},${r.isStop}\n`;
}

export function truthStopCsvLine(r: TruthStop): string {
  return `${r.participantId},${isoTime(r.startMs)},${isoTime(r.endMs)},${r.label},${r.lat},${r.lon}\n`;
}

export function truthEventCsvLine(r: TruthEvent): string {
  return `${r.participantId},${isoTime(r.startMs)},${isoTime(r.endMs)},${textCell(r.name)}\n`;
}

/**
 * Collects CSV lines into pieces of about 64 KiB: concatenating millions of short strings into
 * one, or joining them, makes V8 flatten huge ropes and spend most of its time in the GC.
 */
class Pieces {
  readonly pieces: string[] = [];
  private current = '';

  add(line: string): void {
    this.current += line;
    if (this.current.length >= 65_536) {
      this.pieces.push(this.current);
      this.current = '';
    }
  }

  done(): string[] {
    if (this.current.length > 0) this.pieces.push(this.current);
    this.current = '';
    return this.pieces;
  }
}

/** Text or UTF-8 bytes, written in order. */
export type CsvPiece = string | Uint8Array;

/** The text each file gains from one chunk (no header), as pieces to write in order. */
export function chunkCsvPieces(chunk: SimulationChunk): Record<SimulationFile, CsvPiece[]> {
  const sensor = new Pieces();
  const faults = new Pieces();
  for (const r of chunk.sensor) {
    sensor.add(sensorCsvLine(r));
    for (const f of r.faults) faults.add(`${r.participantId},${isoTime(r.timeMs)},${f.variable},${f.kind}\n`);
  }
  const truthMinutes = new Pieces();
  for (const r of chunk.truthMinutes) truthMinutes.add(truthMinuteCsvLine(r));
  const truthStops = new Pieces();
  for (const r of chunk.truthStops) truthStops.add(truthStopCsvLine(r));
  const truthEvents = new Pieces();
  for (const r of chunk.truthEvents) truthEvents.add(truthEventCsvLine(r));
  return {
    sensor: sensor.done(),
    gps: chunk.gps.length === 0 ? [] : [gpsCsvBytes(chunk.gps)],
    truthMinutes: truthMinutes.done(),
    truthStops: truthStops.done(),
    truthFaults: faults.done(),
    truthEvents: truthEvents.done(),
  };
}

/** A whole run as file texts, headers included: for small runs and tests (large runs: stream chunks). */
export function simulationCsvTexts(chunks: Iterable<SimulationChunk>): Record<SimulationFile, string> {
  const texts: Record<SimulationFile, string> = {
    sensor: csvHeader('sensor'),
    gps: csvHeader('gps'),
    truthMinutes: csvHeader('truthMinutes'),
    truthStops: csvHeader('truthStops'),
    truthFaults: csvHeader('truthFaults'),
    truthEvents: csvHeader('truthEvents'),
  };
  const decoder = new TextDecoder();
  for (const chunk of chunks) {
    const part = chunkCsvPieces(chunk);
    for (const key of Object.keys(texts) as SimulationFile[]) {
      for (const piece of part[key]) texts[key] += typeof piece === 'string' ? piece : decoder.decode(piece);
    }
  }
  return texts;
}
