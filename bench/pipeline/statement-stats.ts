/**
 * What each SQL statement cost a database over a benchmark run, from pg_stat_statements (loaded by
 * the embedded stack's clusters): the sinks' upserts, the loader's COPY, the benchmark's own polls.
 */
import type pg from 'pg';

export interface StatementStats {
  /** queryid and role: the same text run by two roles is two entries. */
  readonly id: string;
  readonly role: string;
  readonly query: string;
  readonly calls: number;
  readonly rows: number;
  readonly execMs: number;
}

export interface StatementCost extends StatementStats {
  /** Share of the execution time of every statement over the run. */
  readonly share: number;
}

/** The statements of the connected database, or why they cannot be read (the library not loaded). */
export async function readStatements(client: pg.Client): Promise<StatementStats[] | string> {
  try {
    const { rows } = await client.query<{ id: string; role: string; query: string; calls: string; rows: string; exec_ms: number }>(
      `SELECT s.queryid::text || '/' || s.userid::text AS id, r.rolname AS role, s.query, s.calls::text, s.rows::text, s.total_exec_time AS exec_ms
         FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows.map((r) => ({ id: r.id, role: r.role, query: r.query, calls: Number(r.calls), rows: Number(r.rows), execMs: Number(r.exec_ms) }));
  } catch (err) {
    return `pg_stat_statements unreadable: ${(err as Error).message} (a cluster started before it was configured needs \`npx polluscope infra down\` and \`infra up\`)`;
  }
}

/**
 * The run's cost per statement: the difference between two readings, the costliest first. A
 * statement evicted from the view or reset between them counts from zero.
 */
export function statementsBetween(before: readonly StatementStats[], after: readonly StatementStats[]): StatementCost[] {
  const start = new Map(before.map((s) => [s.id, s]));
  const ran: StatementStats[] = [];
  for (const s of after) {
    const b = start.get(s.id);
    const reset = b === undefined || s.calls < b.calls;
    const delta = reset ? s : { ...s, calls: s.calls - b.calls, rows: s.rows - b.rows, execMs: s.execMs - b.execMs };
    if (delta.calls > 0) ran.push(delta);
  }
  const total = ran.reduce((sum, s) => sum + s.execMs, 0);
  return ran.map((s) => ({ ...s, share: total > 0 ? s.execMs / total : 0 })).sort((a, b) => b.execMs - a.execMs);
}

/** A statement's text on one line, cut to `width` characters. */
export function statementLine(query: string, width = 90): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
