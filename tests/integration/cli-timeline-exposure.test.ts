/**
 * `polluscope timeline` and `polluscope exposure` reproduce the warehouse (docs/design.md §5.5, §8;
 * issue 15): a simulated volunteer's day (seed 29, GPS every 5 s) goes through the whole pipeline;
 * then the warehouse's own activity_segments, gps_episodes, review_decisions and sensor_clean rows
 * of that participant are exported as CSV under their column names, the two commands run on them,
 * and their outputs must equal activity_timeline and exposure_daily cell for cell.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import { readCsv, writeCsvAtomic } from '../../cli/src/csv-io.js';
import { EXPOSURE_COLUMNS, TIMELINE_COLUMNS } from '../../cli/src/commands/timeline.js';
import { copyCsvIntoRaw } from '../../cli/src/loader/copy-into-raw.js';
import { buildProgram } from '../../cli/src/main.js';
import { simulateDay } from '../faults/kit-feed.js';
import { waitForDrain } from '../faults/pipeline-run.js';
import { describeDiff, diffTable, isIdentical, type Row } from '../faults/table-diff.js';
import { freshParticipant, rawdata, warehouse } from './stack.js';

const participant = freshParticipant('cli-day');
const log = (line: string) => console.log(`[cli-timeline-exposure] ${line}`);
let raw: pg.Pool;
let wh: pg.Pool;
let dir: string;

/** A warehouse value as the CLI writes it in a CSV cell. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const asText = (row: Record<string, unknown>, columns: readonly string[]): Row => Object.fromEntries(columns.map((c) => [c, cellText(row[c])]));

/** The participant's rows of a warehouse table, written to a CSV file under the table's column names. */
async function exportTable(table: 'activity_segments' | 'gps_episodes' | 'review_decisions' | 'activity_timeline' | 'sensor_clean'): Promise<string> {
  const sql = {
    activity_segments: 'SELECT * FROM activity_segments WHERE participant_virtual_id = $1 ORDER BY segment_start',
    activity_timeline: 'SELECT * FROM activity_timeline WHERE participant_virtual_id = $1 ORDER BY segment_start',
    gps_episodes: 'SELECT * FROM gps_episodes WHERE participant_virtual_id = $1 ORDER BY episode_start',
    review_decisions: 'SELECT * FROM review_decisions WHERE participant_virtual_id = $1 ORDER BY segment_start',
    sensor_clean: 'SELECT * FROM sensor_clean WHERE participant_virtual_id = $1 ORDER BY time',
  }[table];
  const result = await wh.query(sql, [participant]);
  const columns = result.fields.map((f) => f.name);
  const file = join(dir, `${table}.csv`);
  await writeCsvAtomic(file, columns, result.rows.map((row) => asText(row, columns)));
  log(`${table}: ${result.rows.length} rows exported`);
  return file;
}

async function polluscope(...args: string[]): Promise<void> {
  await buildProgram().exitOverride().parseAsync(['node', 'polluscope', ...args]);
}

async function csvRows(file: string, columns: readonly string[]): Promise<Row[]> {
  return (await readCsv(file)).rows.map((r) => asText(r.values, columns));
}

beforeAll(async () => {
  raw = rawdata();
  wh = warehouse();
  dir = await mkdtemp(join(tmpdir(), 'polluscope-cli-day-'));
  const { sensor, gps } = await simulateDay(1, 0.2);
  const renamed = (lines: readonly string[]) => lines.map((l) => l.replace(/^[^,]*/, participant)).join('\n');
  const client = await raw.connect();
  try {
    await copyCsvIntoRaw(client, 'sensor', `${sensor.header}\n${renamed(sensor.lines)}\n`);
    await copyCsvIntoRaw(client, 'gps', `${gps.header}\n${renamed(gps.lines)}\n`);
  } finally {
    client.release();
  }
  log(`${participant}: ${sensor.lines.length} sensor minutes, ${gps.lines.length} fixes inserted`);
  log(`drained: ${JSON.stringify(await waitForDrain(wh, participant, { quietMs: 10_000, timeoutMs: 540_000 }))}`);
}, 600_000);

afterAll(async () => {
  await raw?.end();
  await wh?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the CLI on a simulated day equals the warehouse rows the pipeline produced', () => {
  it('polluscope timeline on the warehouse’s segments and episodes equals activity_timeline', async () => {
    const output = join(dir, 'timeline.csv');
    await polluscope(
      'timeline',
      '--segments', await exportTable('activity_segments'),
      '--episodes', await exportTable('gps_episodes'),
      '--decisions', await exportTable('review_decisions'),
      '--output', output,
    );
    const stored = (await wh.query('SELECT * FROM activity_timeline WHERE participant_virtual_id = $1 ORDER BY segment_start', [participant])).rows;
    expect(stored.length, 'timeline rows in the warehouse').toBeGreaterThan(200);
    expect(stored.some((r) => r.source === 'gps') && stored.some((r) => r.source === 'stop'), 'a day with GPS-labelled moves and stops').toBe(true);
    // The review flags too (TIMELINE_COLUMNS has needs_review, review_reason, review_wrong_probability):
    // the stream decided them day by day as records came; the CLI on the whole file must agree.
    const flagged = stored.filter((r) => r.needs_review);
    expect(flagged.length, 'flags within the 5 % budget').toBeLessThanOrEqual(Math.floor(0.05 * stored.length));
    expect(flagged.every((r) => r.review_reason === 'low_confidence_no_gps' || r.review_reason === 'contradicts_declaration')).toBe(true);
    expect(stored.filter((r) => !r.needs_review).every((r) => r.review_reason === null)).toBe(true);
    const diff = diffTable('activity_timeline', ['participant_virtual_id', 'segment_start'], stored.map((r) => asText(r, TIMELINE_COLUMNS)), await csvRows(output, TIMELINE_COLUMNS));
    expect(isIdentical(diff), describeDiff(diff, ['participant_virtual_id', 'segment_start'])).toBe(true);
  });

  it('polluscope exposure on the warehouse’s timeline and clean sensor minutes equals exposure_daily', async () => {
    const output = join(dir, 'exposure.csv');
    await polluscope('exposure', '--timeline', await exportTable('activity_timeline'), '--sensors', await exportTable('sensor_clean'), '--output', output, '--time-zone', 'Europe/Paris');
    // The day as text: node-pg would turn a date into a Date at the test machine's local midnight.
    const { rows } = await wh.query('SELECT *, day::text AS day_text FROM exposure_daily WHERE participant_virtual_id = $1', [participant]);
    const stored = rows.map((r) => ({ ...r, day: r.day_text }));
    expect(stored.length, 'exposure rows in the warehouse').toBeGreaterThanOrEqual(CANONICAL_LABELS.length + 1);
    expect(stored.filter((r) => r.minutes > 0).length, 'micro-environments visited').toBeGreaterThan(1);
    const key = ['participant_virtual_id', 'day', 'micro_environment'];
    const diff = diffTable('exposure_daily', key, stored.map((r) => asText(r, EXPOSURE_COLUMNS)), await csvRows(output, EXPOSURE_COLUMNS));
    expect(isIdentical(diff), describeDiff(diff, key)).toBe(true);
  });
});
