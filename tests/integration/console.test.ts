/**
 * The web console in a real browser (docs/design.md §8, §9): the console server reads the stack's
 * warehouse as the researcher; Debian's Chromium, driven by playwright-core, opens the
 * participants page and the richest participant-day (a demo participant `sim-…` when there is
 * one), and each chart and the map must draw what SQL counts for that day: one point per measured
 * minute in each pollutant's line, one band per labelled segment in each row, one circle per GPS
 * fix and per stop, one bar per micro-environment. Screenshots of each page go to
 * test-output/console/ (ignored by git), with the day's report as HTML and PDF beside them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleApp, WarehouseReader, writeDayReport } from '../../console/src/index.js';
import { openConsoleInChromium } from './console-browser.js';
import { stackConfig } from './stack.js';

const TIME_ZONE = 'Europe/Paris';
const OUTPUT_DIR = join(stackConfig.repoRoot, 'test-output', 'console');
const PAGES_DIR = join(stackConfig.repoRoot, 'console', 'dist', 'public');
const researcherUrl = `postgresql://researcher_login:researcher@${stackConfig.host}:${stackConfig.ports.warehouse}/warehouse`;
const researcher = new pg.Pool({ connectionString: researcherUrl, max: 2 });

const app = buildConsoleApp({ warehouse: new WarehouseReader(researcherUrl, TIME_ZONE), timeZone: TIME_ZONE, tileUrl: null, pagesDir: PAGES_DIR, logLevel: 'warn' });
let baseUrl = '';
let browser: Browser;
let page: Page;
/** Requests that left the machine: none may (no tiles, no fonts, nothing). */
let remoteRequests: string[] = [];
let chosen: { participant: string; day: string; minutes: number };

/** The participant-day with the most sensor minutes, a demo participant's first. */
const CHOOSE_DAY_SQL = `SELECT participant_virtual_id AS participant, to_char((time AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS day, count(*)::int AS minutes
  FROM sensor_clean GROUP BY 1, 2
  ORDER BY (participant_virtual_id LIKE 'sim-%') DESC, count(*) DESC, 1, 2 LIMIT 1`;

const DAY_WINDOW = `time >= ($2::date::timestamp AT TIME ZONE $3::text) AND time < (($2::date + 1)::timestamp AT TIME ZONE $3::text)`;
const SEGMENT_WINDOW = `segment_start >= ($2::date::timestamp AT TIME ZONE $3::text) AND segment_start < (($2::date + 1)::timestamp AT TIME ZONE $3::text)`;
const DAY_COUNTS_SQL = `SELECT
    (SELECT count(pm1)::int FROM sensor_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS pm1,
    (SELECT count(pm25)::int FROM sensor_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS pm25,
    (SELECT count(pm10)::int FROM sensor_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS pm10,
    (SELECT count(no2)::int FROM sensor_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS no2,
    (SELECT count(bc)::int FROM sensor_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS bc,
    (SELECT count(declared_label)::int FROM participant_day_timeline WHERE participant_virtual_id = $1 AND ${SEGMENT_WINDOW}) AS declared,
    (SELECT count(predicted_label)::int FROM participant_day_timeline WHERE participant_virtual_id = $1 AND ${SEGMENT_WINDOW}) AS predicted,
    (SELECT count(final_label)::int FROM participant_day_timeline WHERE participant_virtual_id = $1 AND ${SEGMENT_WINDOW}) AS final,
    (SELECT count(*)::int FROM gps_clean WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS fixes,
    (SELECT count(*)::int FROM gps_dropped WHERE participant_virtual_id = $1 AND ${DAY_WINDOW}) AS dropped,
    (SELECT count(*)::int FROM gps_episodes WHERE participant_virtual_id = $1 AND episode_type = 'stop'
       AND episode_start < (($2::date + 1)::timestamp AT TIME ZONE $3::text) AND episode_end >= ($2::date::timestamp AT TIME ZONE $3::text)) AS stops,
    (SELECT count(*)::int FROM exposure_daily WHERE participant_virtual_id = $1 AND day = $2::date AND minutes > 0) AS environments`;

const SENSOR_DAYS_OF_PARTICIPANT_SQL = `SELECT count(DISTINCT (time AT TIME ZONE $2)::date)::int AS n FROM sensor_clean WHERE participant_virtual_id = $1`;

const PARTICIPANT_DAYS_SQL = `SELECT count(*)::int AS n FROM (
    SELECT participant_virtual_id, (time AT TIME ZONE $1)::date FROM sensor_clean
    UNION SELECT participant_virtual_id, (segment_start AT TIME ZONE $1)::date FROM activity_timeline
    UNION SELECT participant_virtual_id, (time AT TIME ZONE $1)::date FROM gps_clean) d`;

/** Points drawn by a line mark: one M or L command per point (a break starts a new M). */
const linePoints = (d: string | null) => (d ?? '').match(/[ML]/g)?.length ?? 0;

async function openPage(hash: string): Promise<void> {
  await page.goto(`${baseUrl}/${hash}`);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 60_000 });
  expect(await page.locator('body').getAttribute('data-state'), await page.locator('main').innerText()).toBe('ready');
}

const marks = (description: string, element: string) => page.locator(`g[aria-description="${description}"] ${element}`);

beforeAll(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const { rows } = await researcher.query<{ participant: string; day: string; minutes: number }>(CHOOSE_DAY_SQL, [TIME_ZONE]);
  if (rows[0] === undefined) throw new Error('the warehouse holds no sensor minute: the console has nothing to show (run the pipeline tests or `polluscope demo` first)');
  chosen = rows[0];
  ({ baseUrl, browser, page, remoteRequests } = await openConsoleInChromium(app));
});

afterAll(async () => {
  await browser?.close();
  await app.close();
  await researcher.end();
});

describe('the console in Chromium', () => {
  it('lists every participant-day with its coverage, linking to the day', async () => {
    await openPage('#/');
    const { rows } = await researcher.query<{ n: number }>(PARTICIPANT_DAYS_SQL, [TIME_ZONE]);
    const tableRows = await page.locator('table.days tbody tr').count();
    // The pipeline may still be writing: the page was read a moment before the count.
    expect(tableRows).toBeGreaterThan(0);
    expect(tableRows).toBeLessThanOrEqual(rows[0]!.n);
    expect(await marks('coverage', 'rect').count()).toBe(tableRows);
    const row = page.locator(`table.days tr[data-participant="${chosen.participant}"][data-day="${chosen.day}"]`);
    await expect(row.locator('.bar-label').innerText()).resolves.toContain(`(${chosen.minutes} of `);
    await page.screenshot({ path: join(OUTPUT_DIR, 'participants.png'), fullPage: true });
    await row.locator('a').click();
    await page.waitForURL(`**/#/participants/${encodeURIComponent(chosen.participant)}/days/${chosen.day}`);
  });

  it("draws the participant-day: each pollutant's minutes, the three label rows, fixes, stops and shares", async () => {
    await openPage(`#/participants/${encodeURIComponent(chosen.participant)}/days/${chosen.day}`);
    const { rows } = await researcher.query<Record<string, number>>(DAY_COUNTS_SQL, [chosen.participant, chosen.day, TIME_ZONE]);
    const expected = rows[0]!;
    await page.screenshot({ path: join(OUTPUT_DIR, 'participant-day.png'), fullPage: true });

    for (const pollutant of ['pm1', 'pm25', 'pm10', 'no2', 'bc']) {
      const line = marks(`${pollutant} line`, 'path');
      expect(await line.count(), pollutant).toBe(expected[pollutant]! > 0 ? 1 : 0);
      if (expected[pollutant]! > 0) expect(linePoints(await line.getAttribute('d')), `${pollutant} points`).toBe(expected[pollutant]);
    }
    for (const layer of ['declared', 'predicted', 'final']) {
      expect(await marks(`${layer} band`, 'rect').count(), `${layer} band`).toBe(expected[layer]);
    }
    expect(await marks('fixes', 'circle').count()).toBe(expected.fixes);
    expect(await marks('stops', 'circle').count()).toBe(expected.stops);
    expect(await marks('stop durations', 'text').count()).toBe(expected.stops);
    expect(await marks('time share', 'rect').count()).toBe(expected.environments);
    expect(await page.locator('#exposure .coverage').innerText()).toMatch(/^(Coverage: measured \d+ of \d+ min|No exposure computed)/);
    const pm25Quality = page.locator('table[aria-label="sensor quality"] tr[data-variable="pm25"] td').first();
    expect(Number(await pm25Quality.innerText())).toBe(expected.pm25);
    // The GPS fixes the cleaner kept and those it dropped (gps_dropped), for the day.
    const gpsQuality = (key: string) => page.locator(`table[aria-label="gps quality"] tr[data-gps="${key}"] td`).first();
    expect(Number(await gpsQuality('kept').innerText())).toBe(expected.fixes);
    expect(Number(await gpsQuality('received').innerText())).toBe(expected.fixes! + expected.dropped!);
    // Links to the participant's other days (sensor days at least; GPS-only days add to them).
    const sensorDays = (await researcher.query<{ n: number }>(SENSOR_DAYS_OF_PARTICIPANT_SQL, [chosen.participant, TIME_ZONE])).rows[0]!.n;
    expect(await page.locator('nav.days-nav a').count()).toBeGreaterThanOrEqual(sensorDays - 1);
    await page.locator('#map').screenshot({ path: join(OUTPUT_DIR, 'participant-day-map.png') });
  });

  it('answers a bad day with 400 naming the parameter, and asks nothing of the network', async () => {
    const response = await page.request.get(`${baseUrl}/api/participants/${encodeURIComponent(chosen.participant)}/days/2026-02-30`);
    expect(response.status()).toBe(400);
    expect((await response.json()).message).toContain('day');
    expect(remoteRequests).toEqual([]);
  });

  it('writes the same day as a self-contained HTML report and as a PDF', async () => {
    const base = join(OUTPUT_DIR, `report-${chosen.participant}-${chosen.day}`);
    await writeDayReport({ ...chosen, out: `${base}.html`, warehouseUrl: researcherUrl, timeZone: TIME_ZONE });
    const html = readFileSync(`${base}.html`, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain(`${chosen.participant} · ${chosen.day}`);
    await writeDayReport({ ...chosen, out: `${base}.pdf`, warehouseUrl: researcherUrl, timeZone: TIME_ZONE });
    expect(readFileSync(`${base}.pdf`).subarray(0, 5).toString()).toBe('%PDF-');
    // The report opened from disk, with the network refused, for a look at it.
    const reportPage = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await reportPage.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await reportPage.goto(`file://${base}.html`);
    expect(await reportPage.locator('g[aria-description="fixes"] circle').count()).toBe(await marks('fixes', 'circle').count());
    await reportPage.screenshot({ path: join(OUTPUT_DIR, 'report.png'), fullPage: true });
    await reportPage.close();
  });
});
