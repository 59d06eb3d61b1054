/**
 * Column names of historical exports: the original Polluscope names as well as ours
 * (docs/design.md §3.1), matched case-insensitively after trimming. Unknown columns are ignored.
 */
import { InputError } from '../csv-io.js';
import { RAW_TABLES, type RawKind } from './raw-tables.js';

/** Accepted header names (lower case) for each raw column; the first is ours. */
export const HEADER_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  participant_virtual_id: ['participant_virtual_id', 'participant', 'id_participant', 'participant_id'],
  time: ['time', 'timestamp', 'date'],
  kit_id: ['kit_id', 'kit', 'id_kit'],
  tablet_id: ['tablet_id', 'tablet', 'id_tablet'],
  pm1: ['pm1', 'pm1.0'],
  pm25: ['pm25', 'pm2.5', 'pm2_5'],
  pm10: ['pm10'],
  no2: ['no2'],
  bc: ['bc'],
  temperature: ['temperature'],
  humidity: ['humidity'],
  lat: ['lat', 'latitude'],
  lon: ['lon', 'lng', 'longitude'],
  activity: ['activity'],
  event: ['event'],
});

/** Columns a file must have; the others are NULL when absent. */
export const REQUIRED_COLUMNS: Readonly<Record<RawKind, readonly string[]>> = Object.freeze({
  sensor: ['participant_virtual_id', 'time'],
  gps: ['participant_virtual_id', 'time', 'lat', 'lon'],
});

/**
 * Where each raw column is found in a file: `fieldIndex[i]` is the header position of the
 * table's i-th COPY column, or -1 when the file does not have it.
 */
export interface HeaderMapping {
  readonly kind: RawKind;
  readonly fieldIndex: readonly number[];
  /** The file's own header, trimmed, for messages and the rejects file. */
  readonly header: readonly string[];
}

const ALIAS_TO_COLUMN: ReadonlyMap<string, string> = new Map(
  Object.entries(HEADER_ALIASES).flatMap(([column, aliases]) => aliases.map((alias) => [alias, column] as const)),
);

/**
 * Maps a file's header onto the raw table's COPY columns, or throws an InputError naming the
 * file and the column: a required column missing, or two header columns meaning the same one.
 *
 * @example mapHeader('sensor', ['Timestamp', 'participant', 'PM2.5'], 'a.csv').fieldIndex
 *   // [1, -1, 0, -1, 2, -1, -1, -1, -1, -1, -1, -1]
 */
export function mapHeader(kind: RawKind, header: readonly string[], file: string): HeaderMapping {
  const trimmed = header.map((name) => name.trim());
  const found = new Map<string, number>();
  trimmed.forEach((name, index) => {
    const column = ALIAS_TO_COLUMN.get(name.toLowerCase());
    if (column === undefined || !RAW_TABLES[kind].columns.includes(column)) return;
    const previous = found.get(column);
    if (previous !== undefined) {
      throw new InputError(file, 1, name, `columns "${trimmed[previous]}" and "${name}" both mean ${column}; keep one`);
    }
    found.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS[kind]) {
    if (!found.has(column)) {
      throw new InputError(file, 1, column, `missing column ${column} (accepted names: ${(HEADER_ALIASES[column] ?? [column]).join(', ')})`);
    }
  }
  return { kind, fieldIndex: RAW_TABLES[kind].columns.map((column) => found.get(column) ?? -1), header: trimmed };
}

/** The alias table as text lines, for the command's help and the docs. */
export function aliasTableLines(kind: RawKind): string[] {
  return RAW_TABLES[kind].columns.map((column) => {
    const required = REQUIRED_COLUMNS[kind].includes(column) ? ' (required)' : '';
    return `  ${column.padEnd(24)}${(HEADER_ALIASES[column] ?? [column]).join(', ')}${required}`;
  });
}
