/**
 * `npm run screenshots`: the README's pictures of the console, taken from the running console
 * (`npm start` leaves it running) with headless Chromium: the participants' days, the first demo
 * participant's day, the reviewers' login and that day's review queue. The reviewer account
 * `console-screenshots` is (re)made with a random password for the purpose.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from '../console/src/index.js';
import { consolePort } from '../cli/src/infra/console-process.js';
import { loadStackConfig, stackEndpoints } from '../cli/src/infra/stack-config.js';

const OUT_DIR = 'docs/screenshots';
const REVIEWER = 'console-screenshots';
const TIME_ZONE = 'Europe/Paris';

/** The demo's first participant-day that has segments flagged for review. */
const DAY_SQL = `SELECT participant_virtual_id AS participant, to_char((segment_start AT TIME ZONE $1::text)::date, 'YYYY-MM-DD') AS day
  FROM segments_needing_review
 WHERE participant_virtual_id LIKE 'sim-%'
 GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1`;

async function main(): Promise<void> {
  const config = loadStackConfig();
  const base = `http://${config.host}:${consolePort(config)}`;
  const answer = await fetch(`${base}/`).catch(() => null);
  if (answer === null || !answer.ok) throw new Error(`no console at ${base}: run \`npm start\` first (it leaves the console running)`);

  const warehouse = new pg.Client({ connectionString: stackEndpoints(config).warehouseUrl });
  await warehouse.connect();
  const chosen = (await warehouse.query<{ participant: string; day: string }>(DAY_SQL, [TIME_ZONE]).finally(() => warehouse.end())).rows[0];
  if (chosen === undefined) throw new Error('no demo participant (sim-…) has a segment flagged for review: run `npm start` first');

  const password = randomBytes(18).toString('base64url');
  const added = spawnSync(process.execPath, [join(config.repoRoot, 'cli', 'bin', 'polluscope.js'), 'reviewers', 'add', REVIEWER, '--replace'], { input: `${password}\n`, encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`polluscope reviewers add failed: ${added.stderr}`);

  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const shoot = async (hash: string, ready: string, file: string, fullPage = true) => {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(ready, { timeout: 60_000 });
      await page.screenshot({ path: join(OUT_DIR, file), fullPage });
      console.log(`${join(OUT_DIR, file)}: ${base}/${hash}`);
    };
    const dayHash = `#/participants/${encodeURIComponent(chosen.participant)}/days/${chosen.day}`;
    const reviewHash = `#/review/${encodeURIComponent(chosen.participant)}/${chosen.day}`;
    // The first screen only: a warehouse the tests also wrote to lists hundreds of days.
    await shoot('#/', 'table.days tbody tr', 'participants.png', false);
    await shoot(dayHash, '#map svg', 'participant-day.png');
    await shoot(reviewHash, 'form#login', 'login.png');
    await page.fill('form#login input[name="name"]', REVIEWER);
    await page.fill('form#login input[name="password"]', password);
    await page.click('form#login button[type="submit"]');
    await page.waitForSelector('body[data-state="ready"] .review-view section.review-item', { timeout: 60_000 });
    await page.screenshot({ path: join(OUT_DIR, 'review-queue.png'), fullPage: true });
    console.log(`${join(OUT_DIR, 'review-queue.png')}: ${base}/${reviewHash} (logged in as ${REVIEWER})`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
