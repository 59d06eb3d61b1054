/**
 * The warehouse side of gps.dropped (infrastructure/postgres/warehouse/008-gps-dropped.sql): a table
 * that mirrors the topic's schema, written by the points sink with its own role's privileges, and
 * a daily view whose reasons are the cleaner's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@polluscope/common';
import { GPS_DROP_REASONS } from '@polluscope/gps-preprocessing/domain';

const WAREHOUSE = new URL('../../infrastructure/postgres/warehouse/', import.meta.url);
const sql = readFileSync(new URL('008-gps-dropped.sql', WAREHOUSE), 'utf8');
const connector = JSON.parse(readFileSync(new URL('../../connectors/warehouse-sink-points.json', import.meta.url), 'utf8')) as { config: Record<string, string> };
const schema = JSON.parse(readFileSync(new URL(`../../schemas/${TOPICS.gpsDropped.valueSchema}`, import.meta.url), 'utf8')) as { fields: { name: string }[] };

/** Column names of the file's gps_dropped table, constraints left out. */
function droppedColumns(): string[] {
  const body = /CREATE TABLE IF NOT EXISTS gps_dropped \(\n([\s\S]*?)\n\);/.exec(sql)?.[1];
  if (body === undefined) throw new Error('008-gps-dropped.sql creates no gps_dropped table');
  return body
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '' && name !== 'PRIMARY');
}

describe('008-gps-dropped.sql', () => {
  it('runs after the job roles file, whose REVOKE ALL it must follow to grant again', () => {
    const files = readdirSync(WAREHOUSE).filter((f) => f.endsWith('.sql')).sort();
    expect(files.indexOf('008-gps-dropped.sql')).toBeGreaterThan(files.indexOf('006-job-roles.sql'));
  });

  it('creates gps_dropped with the columns of schemas/gps.dropped.avsc, keyed as the sink upserts', () => {
    expect(droppedColumns()).toEqual(schema.fields.map((f) => f.name));
    expect(sql).toContain('PRIMARY KEY (participant_virtual_id, time)');
    expect(connector.config['primary.key.fields']).toBe('participant_virtual_id,time');
    expect(connector.config['insert.mode']).toBe('upsert');
  });

  it('is read by the points sink, whose role may upsert the table and not delete from it', () => {
    expect(connector.config.topics?.split(',')).toContain(TOPICS.gpsDropped.name);
    expect(connector.config['collection.name.format']).toBe('${topic}');
    expect(TOPICS.gpsDropped.name.replace('.', '_')).toBe('gps_dropped');
    expect(connector.config['connection.username']).toBe('polluscope_sink_points');
    expect(sql).toContain('GRANT SELECT, INSERT, UPDATE ON gps_dropped TO polluscope_sink_points;');
    expect(sql).not.toMatch(/GRANT [^;]*DELETE/);
    expect(sql).toContain('GRANT SELECT ON gps_dropped, gps_quality_daily TO polluscope_api;');
    expect(sql).toContain('GRANT SELECT ON gps_dropped, gps_quality_daily TO researcher;');
  });

  it('gives gps_quality_daily a row for every reason the service can drop a fix for (late ones are dead-lettered)', () => {
    const values = /FROM \(VALUES ([^)]*\)(?:, \([^)]*\))*)\) AS cleaner/.exec(sql)?.[1] ?? '';
    const reasons = [...values.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(reasons).toEqual(GPS_DROP_REASONS.filter((r) => r !== 'late'));
  });

  it('comments the table, the view and every column of the view', () => {
    expect(sql).toContain('COMMENT ON TABLE gps_dropped IS');
    expect(sql).toContain('COMMENT ON VIEW gps_quality_daily IS');
    for (const column of ['participant_virtual_id', 'day', 'reason', 'dropped_fixes', 'kept_fixes', 'received_fixes', 'dropped_share']) {
      expect(sql, column).toContain(`COMMENT ON COLUMN gps_quality_daily.${column} IS`);
    }
    for (const column of droppedColumns()) expect(sql, column).toContain(`COMMENT ON COLUMN gps_dropped.${column} IS`);
  });
});
