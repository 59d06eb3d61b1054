/**
 * Rows a load put behind what rawdata already held for the same participant (an older export loaded
 * after a newer one): the stages have moved past them, so the load is followed by the
 * participant's recomputation from rawdata (docs/load-csv.md, "Loads behind the pipeline").
 */
import pg from 'pg';
import { RAW_TABLES, type RawKind } from './raw-tables.js';

/** The highest id of each raw table: rows above it were inserted later. */
export type RawHighWater = Readonly<Record<RawKind, number>>;

export interface LoadedBehind {
  readonly participant: string;
  /** The earliest row the load inserted for the participant, ms. */
  readonly fromMs: number;
  /** The newest row the participant already had (either table), ms. */
  readonly newestBeforeMs: number;
}

export async function rawHighWater(client: Pick<pg.ClientBase, 'query'>): Promise<RawHighWater> {
  const high = async (kind: RawKind): Promise<number> => {
    const { rows } = await client.query<{ id: string | null }>(`SELECT max(id) AS id FROM ${pg.escapeIdentifier(RAW_TABLES[kind].table)}`);
    return Number(rows[0]?.id ?? 0);
  };
  return { sensor: await high('sensor'), gps: await high('gps') };
}

const SENSOR = pg.escapeIdentifier(RAW_TABLES.sensor.table);
const GPS = pg.escapeIdentifier(RAW_TABLES.gps.table);

/** The newest row before the load of the participant `loaded.participant_virtual_id`, in both tables ($2, $3: their high water). */
const NEWEST_BEFORE = `GREATEST((SELECT max(time) FROM ${SENSOR} AS t WHERE t.participant_virtual_id = loaded.participant_virtual_id AND t.id <= $2), (SELECT max(time) FROM ${GPS} AS t WHERE t.participant_virtual_id = loaded.participant_virtual_id AND t.id <= $3))`;

const LOADED_BEHIND: Readonly<Record<RawKind, string>> = Object.freeze({
  sensor:
    `SELECT participant_virtual_id, first, newest_before FROM (SELECT loaded.participant_virtual_id, loaded.first, ${NEWEST_BEFORE} AS newest_before ` +
    `FROM (SELECT participant_virtual_id, min(time) AS first FROM ${SENSOR} WHERE id > $1 GROUP BY participant_virtual_id) AS loaded) AS compared ` +
    'WHERE newest_before > first ORDER BY participant_virtual_id',
  gps:
    `SELECT participant_virtual_id, first, newest_before FROM (SELECT loaded.participant_virtual_id, loaded.first, ${NEWEST_BEFORE} AS newest_before ` +
    `FROM (SELECT participant_virtual_id, min(time) AS first FROM ${GPS} WHERE id > $1 GROUP BY participant_virtual_id) AS loaded) AS compared ` +
    'WHERE newest_before > first ORDER BY participant_virtual_id',
});

/**
 * The parameterised query of the participants whose rows inserted into `kind`'s table after
 * `before` start earlier than a row they already had in either table.
 */
export function loadedBehindQuery(kind: RawKind, before: RawHighWater): { text: string; values: unknown[] } {
  return { text: LOADED_BEHIND[kind], values: [before[kind], before.sensor, before.gps] };
}

export async function loadedBehind(client: Pick<pg.ClientBase, 'query'>, kind: RawKind, before: RawHighWater): Promise<LoadedBehind[]> {
  const { text, values } = loadedBehindQuery(kind, before);
  const { rows } = await client.query<{ participant_virtual_id: string; first: Date; newest_before: Date }>(text, values);
  return rows.map((r) => ({ participant: r.participant_virtual_id, fromMs: r.first.getTime(), newestBeforeMs: r.newest_before.getTime() }));
}

/** One entry per participant over several files: the earliest start, the newest row before. */
export function mergeLoadedBehind(lists: readonly (readonly LoadedBehind[])[]): LoadedBehind[] {
  const merged = new Map<string, LoadedBehind>();
  for (const list of lists) {
    for (const entry of list) {
      const seen = merged.get(entry.participant);
      merged.set(
        entry.participant,
        seen === undefined ? entry : { participant: entry.participant, fromMs: Math.min(seen.fromMs, entry.fromMs), newestBeforeMs: Math.max(seen.newestBeforeMs, entry.newestBeforeMs) },
      );
    }
  }
  return [...merged.values()].sort((a, b) => (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0));
}
