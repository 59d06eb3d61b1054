/**
 * The researchers' warehouse (docs/design.md §3.3, §5.5, §5.6): fused timeline and daily exposure of
 * two participants, a human review that replaces a timeline row in place, the read-only
 * researcher role, and the example queries of docs/warehouse.md run as that role.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLabels } from '../../cli/src/commands/export-labels.js';
import { servicePort } from '../../cli/src/infra/services.js';
import { createReviewer, type ReviewerLogin } from './reviewer-account.js';
import { eventually, freshParticipant, rawdata, researcherPool, stackConfig, warehouse } from './stack.js';

const START_MS = Date.UTC(2026, 2, 3, 9, 0, 0); // Tuesday 3 March 2026, 10:00 in Paris
const MINUTE = 60_000;
const participants = [freshParticipant('wa'), freshParticipant('wb')];
const raw = rawdata();
const wh = warehouse();
const researcher = researcherPool();
const postprocessingUrl = `http://${stackConfig.host}:${servicePort(stackConfig, 'postprocessing')}`;
let reviewer: ReviewerLogin;

beforeAll(async () => {
  reviewer = await createReviewer('warehouse');
  for (const participant of participants) {
    for (let minute = 0; minute < 30; minute++) {
      await raw.query(
        `INSERT INTO sensor_measurements (participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity)
         VALUES ($1, 9, $2, 6, 12, 18, 25, 900, 22, 45, 'Bureau')`,
        [participant, new Date(START_MS + minute * MINUTE)],
      );
    }
  }
});

afterAll(async () => {
  await Promise.all([raw.end(), wh.end(), researcher.end()]);
});

describe('timeline, exposure and review in the warehouse', () => {
  it('fuses six 5-minute segments per participant into the timeline and a day of exposure whose shares sum to 1', async () => {
    const timeline = await eventually(
      'activity_timeline rows',
      120_000,
      async () =>
        (await wh.query('SELECT participant_virtual_id, segment_start, final_label, source FROM activity_timeline WHERE participant_virtual_id = ANY($1)', [participants]))
          .rows,
      (rows) => rows.length === 12,
    );
    expect(timeline.every((r) => typeof r.final_label === 'string' && r.source === 'sensors')).toBe(true);
    const exposure = await eventually(
      'exposure_daily rows',
      60_000,
      async () =>
        (
          await wh.query(
            `SELECT participant_virtual_id, sum(minutes) AS minutes, sum(pm25_share) AS pm25_shares, sum(bc_share) AS bc_shares
               FROM exposure_daily WHERE participant_virtual_id = ANY($1) GROUP BY participant_virtual_id`,
            [participants],
          )
        ).rows,
      (rows) => rows.length === 2 && rows.every((r) => Number(r.minutes) === 30),
    );
    for (const row of exposure) {
      expect(row.pm25_shares).toBeCloseTo(1, 9);
      expect(row.bc_shares).toBeCloseTo(1, 9);
    }
  });

  it('applies a human review: the corrected row replaces the old one under the same key', async () => {
    const [participant] = participants;
    const segmentStart = new Date(START_MS + 10 * MINUTE);
    const before = await wh.query('SELECT final_label FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start = $2', [participant, segmentStart]);
    const corrected = before.rows[0]?.final_label === 'Cinéma' ? 'Magasin' : 'Cinéma';

    const decide = (headers: Record<string, string>, body: unknown) =>
      fetch(`${postprocessingUrl}/reviews/${participant}/${segmentStart.toISOString()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    // No account, a wrong password, an unknown name: 401 with a challenge, and nothing decided.
    for (const headers of [{} as Record<string, string>, { authorization: reviewer.wrongAuthorization }, { authorization: `Basic ${Buffer.from('nobody-here:whatever-it-is').toString('base64')}` }]) {
      const unauthorised = await decide(headers, { label: corrected });
      expect(unauthorised.status).toBe(401);
      expect(unauthorised.headers.get('www-authenticate')).toMatch(/^Basic realm="polluscope-review"/);
    }
    // The body cannot name someone else.
    const impersonating = await decide({ authorization: reviewer.authorization }, { label: corrected, reviewer: 'someone-else' });
    expect(impersonating.status).toBe(400);

    const refused = await decide({ authorization: reviewer.authorization }, { label: 'Spaceship' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('label');

    const accepted = await decide({ authorization: reviewer.authorization }, { label: corrected });
    expect(accepted.status).toBe(202);

    const rows = await eventually(
      'the reviewed timeline row',
      60_000,
      async () =>
        (await wh.query('SELECT final_label, source FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start = $2', [participant, segmentStart])).rows,
      (found) => found.length === 1 && found[0]?.final_label === corrected,
    );
    expect(rows).toEqual([{ final_label: corrected, source: 'review' }]);
    const stored = await eventually(
      'the stored decision',
      60_000,
      async () => (await wh.query('SELECT label, reviewer FROM review_decisions WHERE participant_virtual_id = $1', [participant])).rows,
      (found) => found.length === 1,
    );
    expect(stored).toEqual([{ label: corrected, reviewer: reviewer.name }]);
    // No decision was stored for the refused attempts: one row, the authenticated one.
    const exposure = await eventually(
      'the corrected exposure',
      60_000,
      async () => (await wh.query('SELECT minutes FROM exposure_daily WHERE participant_virtual_id = $1 AND micro_environment = $2', [participant, corrected])).rows,
      (found) => found.length === 1 && Number(found[0]?.minutes) === 5,
    );
    expect(Number(exposure[0]?.minutes)).toBe(5);

    // The decision is exported as training labels for the five minutes of its segment.
    const client = await wh.connect();
    try {
      const { labels, sensors } = await exportLabels(client, 'reviews');
      const exported = labels.filter((l) => l.participant_virtual_id === participant);
      expect(exported.map((l) => [l.time, l.micro_environment, l.label_source])).toEqual(
        [0, 1, 2, 3, 4].map((m) => [new Date(segmentStart.getTime() + m * MINUTE).toISOString(), corrected, 'review']),
      );
      expect(sensors.filter((s) => s.participant_virtual_id === participant).every((s) => s.pm25 === 12)).toBe(true);
    } finally {
      client.release();
    }
  });

  it('answers 404 for a review of a segment that does not exist', async () => {
    const response = await fetch(`${postprocessingUrl}/reviews/nobody-${Date.now()}/${new Date(START_MS).toISOString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: reviewer.authorization },
      body: JSON.stringify({ label: 'Bureau' }),
    });
    expect(response.status).toBe(404);
  });

  it('lists segments needing review, paged and filtered by participant and day', async () => {
    const response = await fetch(`${postprocessingUrl}/reviews?participant=${participants[1]}&day=2026-03-03&pending=false&limit=2`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { participant_virtual_id: string }[]; total: number; limit: number; offset: number };
    expect(page.limit).toBe(2);
    expect(page.items.length).toBeLessThanOrEqual(2);
    expect(page.items.every((i) => i.participant_virtual_id === participants[1])).toBe(true);
    // Six segments in the day: 5 % of them rounds down to no flag (docs/design.md §5.2, docs/warehouse.md).
    expect(page.total).toBe(0);
    const bad = await fetch(`${postprocessingUrl}/reviews?limit=100000`);
    expect(bad.status).toBe(400);
  });

  it('lists flagged timeline segments likeliest wrong first, each with its reason', async () => {
    // Rows written as the sink would (the flags themselves are fuseTimeline's, unit-tested), on a
    // participant of their own: what the view and the route make of them.
    const flaggedParticipant = freshParticipant('wr');
    const start = Date.UTC(2026, 2, 4, 9, 0, 0);
    const rows: [number, boolean, string | null, number][] = [
      [0, true, 'low_confidence_no_gps', 0.62],
      [1, false, null, 0.95],
      [2, true, 'contradicts_declaration', 0.81],
      [3, true, 'low_confidence_no_gps', 0.7],
    ];
    try {
      for (const [i, needsReview, reason, wrongProbability] of rows) {
        await wh.query(
          `INSERT INTO activity_timeline (participant_virtual_id, segment_start, segment_end, minutes, final_label, label_group, source, confidence, needs_review, review_reason, review_wrong_probability)
           VALUES ($1, $2, $3, 5, 'Bureau', 'indoor', 'sensors', 0.4, $4, $5, $6)`,
          [flaggedParticipant, new Date(start + i * 5 * MINUTE), new Date(start + (i + 1) * 5 * MINUTE), needsReview, reason, wrongProbability],
        );
      }
      const response = await fetch(`${postprocessingUrl}/reviews?participant=${flaggedParticipant}&day=2026-03-04`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { segment_start: string; review_reason: string | null; review_wrong_probability: number; reviewed: boolean }[]; total: number };
      expect(page.total).toBe(3);
      expect(page.items.map((i) => [new Date(i.segment_start).getTime(), i.review_reason, i.review_wrong_probability, i.reviewed])).toEqual([
        [start + 10 * MINUTE, 'contradicts_declaration', 0.81, false],
        [start + 15 * MINUTE, 'low_confidence_no_gps', 0.7, false],
        [start, 'low_confidence_no_gps', 0.62, false],
      ]);
    } finally {
      await wh.query('DELETE FROM activity_timeline WHERE participant_virtual_id = $1', [flaggedParticipant]);
    }
  });
});

describe('the researcher role', () => {
  const known = ['sensor_clean', 'activity_segments', 'gps_clean', 'gps_dropped', 'gps_episodes', 'activity_timeline', 'exposure_daily', 'review_decisions'];
  const denied = /permission denied|must be owner/;

  /** A researcher session with the read-only default switched off, so the privileges alone are tested. */
  async function asResearcher(check: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await researcher.connect();
    try {
      await client.query('SET default_transaction_read_only = off');
      await check(client);
    } finally {
      client.release();
    }
  }

  it('sessions start read-only', async () => {
    const { rows } = await researcher.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only');
    expect(rows[0]?.default_transaction_read_only).toBe('on');
    await expect(researcher.query("INSERT INTO review_decisions (participant_virtual_id) VALUES ('intruder')")).rejects.toThrow(/read-only transaction/);
  });

  it('cannot INSERT, UPDATE, DELETE, TRUNCATE, ALTER or DROP any table of the warehouse', async () => {
    const { rows } = await wh.query<{ table_name: string; first_column: string }>(
      `SELECT t.table_name, (SELECT c.column_name FROM information_schema.columns c
                              WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                              ORDER BY c.ordinal_position LIMIT 1) AS first_column
         FROM information_schema.tables t
        WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(known));
    await asResearcher(async (client) => {
      for (const { table_name: table, first_column: column } of rows) {
        for (const sql of [
          `INSERT INTO ${pg.escapeIdentifier(table)} DEFAULT VALUES`,
          `UPDATE ${pg.escapeIdentifier(table)} SET ${pg.escapeIdentifier(column)} = ${pg.escapeIdentifier(column)}`,
          `DELETE FROM ${pg.escapeIdentifier(table)}`,
          `TRUNCATE ${pg.escapeIdentifier(table)}`,
          `ALTER TABLE ${pg.escapeIdentifier(table)} ADD COLUMN intruder int`,
          `DROP TABLE ${pg.escapeIdentifier(table)}`,
        ]) {
          await expect(client.query(sql), sql).rejects.toThrow(denied);
        }
      }
    });
  });

  it('cannot CREATE a table, view, function or schema', async () => {
    await asResearcher(async (client) => {
      for (const sql of [
        'CREATE TABLE public.intruder (x int)',
        'CREATE VIEW public.intruder AS SELECT 1 AS x',
        'CREATE FUNCTION public.intruder() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
        'CREATE SCHEMA intruder',
      ]) {
        await expect(client.query(sql), sql).rejects.toThrow(denied);
      }
    });
  });

  it('cannot write through a view of the warehouse', async () => {
    // PostGIS's own views are left out: geometry_columns answers writes with DO INSTEAD NOTHING.
    const { rows } = await wh.query<{ viewname: string }>(
      `SELECT c.relname AS viewname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1`,
    );
    expect(rows.map((r) => r.viewname)).toContain('segments_needing_review');
    expect(rows.map((r) => r.viewname)).not.toContain('geometry_columns');
    await asResearcher(async (client) => {
      for (const { viewname } of rows) {
        // Views that are not auto-updatable refuse before privileges are checked; either way, no write.
        const sql = `DELETE FROM ${pg.escapeIdentifier(viewname)}`;
        await expect(client.query(sql), sql).rejects.toThrow(/permission denied|cannot delete from view/);
      }
    });
  });

  it('cannot read the reviewer accounts (password hashes)', async () => {
    await expect(researcher.query('SELECT name FROM reviewers LIMIT 1')).rejects.toThrow(/permission denied/);
  });

  it('can SELECT from every view and table of the warehouse but reviewers', async () => {
    const { rows } = await wh.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toContain('reviewers');
    const names = rows.map((r) => r.name).filter((v) => !['geography_columns', 'geometry_columns', 'reviewers'].includes(v));
    expect(names).toEqual(expect.arrayContaining([...known, 'segments_needing_review', 'gps_quality_daily']));
    for (const name of names) {
      const sql = `SELECT * FROM ${pg.escapeIdentifier(name)} LIMIT 1`;
      await expect(researcher.query(sql), sql).resolves.toBeDefined();
    }
  });
});

describe('docs/warehouse.md example queries', () => {
  const doc = readFileSync(join(stackConfig.repoRoot, 'docs', 'warehouse.md'), 'utf8');
  const examples = [...doc.matchAll(/<!-- example: ([\w-]+) -->\s*```sql\n([\s\S]*?)```/g)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);

  it('documents at least five example queries', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s runs as the researcher', async (_name, sql) => {
    const result = await researcher.query(sql);
    expect(Array.isArray(result.rows)).toBe(true);
  });
});
