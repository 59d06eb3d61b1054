/**
 * `polluscope erase --participant P` (a volunteer withdraws, docs/design.md §7): every row of the
 * participant removed from rawdata and from the warehouse (every table that has a
 * `participant_virtual_id`, review decisions included), in one transaction per database.
 */
import pg from 'pg';

export interface TableErasure {
  readonly database: string;
  readonly table: string;
  readonly rows: number;
}

/** The base tables of the public schema that hold a participant id, found so new tables are never missed. */
export async function participantTables(client: Pick<pg.ClientBase, 'query'>): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'participant_virtual_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Deletes (or, dry, counts) the participant's rows of every such table; all or nothing. */
export async function eraseParticipantRows(client: pg.ClientBase, database: string, participant: string, dryRun: boolean): Promise<TableErasure[]> {
  const erased: TableErasure[] = [];
  await client.query('BEGIN');
  try {
    for (const table of await participantTables(client)) {
      const name = pg.escapeIdentifier(table);
      const result = dryRun
        ? await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} WHERE participant_virtual_id = $1`, [participant])
        : await client.query(`DELETE FROM ${name} WHERE participant_virtual_id = $1`, [participant]);
      const rows = dryRun ? Number((result.rows[0] as { n: string }).n) : (result.rowCount ?? 0);
      erased.push({ database, table, rows });
    }
    await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  return erased;
}
