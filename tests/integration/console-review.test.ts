/**
 * The console's review queue in a real browser, against the real stack (docs/design.md §5.6): a
 * reviewer account is created as an operator does (`polluscope reviewers add`, password piped),
 * the console server runs with review (the queue read as the researcher, accounts through the
 * application login, decisions produced to the stack's Kafka), and Debian's Chromium, driven by
 * playwright-core, logs in, opens a demo participant-day's queue, relabels a flagged segment with
 * the keyboard, and the decision must reach review_decisions with the logged-in reviewer, then
 * the timeline (source `review`) and the day's exposure. Undo (`u`) is a second decision restoring
 * the label before: review_decisions then holds both rows, the latest counts. After logout the
 * decision route is refused. Screenshots of each page go to test-output/console-review/.
 * Runs after the other integration files (vitest.config.ts), which put participants in the warehouse.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleApp, loadConsoleConfig, reviewPlugins, WarehouseReader } from '../../console/src/index.js';
import { jobRoleUrl, readRegistryLogin, schemaRegistryClientEnv } from '../../cli/src/infra/stack-secrets.js';
import { openConsoleInChromium } from './console-browser.js';
import { createReviewer, type ReviewerLogin } from './reviewer-account.js';
import { endpoints, eventually, researcherPool, stackConfig, warehouse } from './stack.js';

const TIME_ZONE = 'Europe/Paris';
const OUTPUT_DIR = join(stackConfig.repoRoot, 'test-output', 'console-review');
const PAGES_DIR = join(stackConfig.repoRoot, 'console', 'dist', 'public');
/** How long a decision may take to reach the warehouse: Kafka, postprocessing, the JDBC sink. */
const DECISION_TIMEOUT_MS = 120_000;
/** How long the page may take to show what the warehouse holds (it polls every 5 s). */
const PAGE_TIMEOUT_MS = 60_000;

const config = loadConsoleConfig({
  WAREHOUSE_URL: `postgresql://researcher_login:researcher@${stackConfig.host}:${stackConfig.ports.warehouse}/warehouse`,
  REVIEW_WAREHOUSE_URL: jobRoleUrl(stackConfig, 'api'),
  KAFKA_BROKERS: endpoints.kafkaBrokers,
  SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  ...schemaRegistryClientEnv(readRegistryLogin(stackConfig)),
  TIME_ZONE,
  LOG_LEVEL: 'warn',
});
const app = buildConsoleApp({
  warehouse: new WarehouseReader(config.warehouseUrl, TIME_ZONE),
  timeZone: TIME_ZONE,
  tileUrl: null,
  pagesDir: PAGES_DIR,
  logLevel: 'warn',
  plugins: reviewPlugins(config),
});
const researcher = researcherPool();
const wh = warehouse();

let baseUrl = '';
let browser: Browser;
let page: Page;
let reviewer: ReviewerLogin;
let remoteRequests: string[] = [];

/** The flagged segment to decide: a demo participant's, pending, likeliest wrong, with measured minutes and a label. */
interface Target {
  participant: string;
  day: string;
  segment_start: Date;
  final_label: string;
}
let target: Target;
let startMs: number;
/** The label chosen with the keyboard, and the one before it (what undo restores). */
let chosen = '';
let before = '';

const CHOOSE_SEGMENT_SQL = `SELECT r.participant_virtual_id AS participant, to_char((r.segment_start AT TIME ZONE $1::text)::date, 'YYYY-MM-DD') AS day,
    r.segment_start, coalesce(r.reviewed_label, r.final_label) AS final_label
  FROM segments_needing_review r
  JOIN activity_timeline t ON t.participant_virtual_id = r.participant_virtual_id AND t.segment_start = r.segment_start
  WHERE coalesce(r.reviewed_label, r.final_label) IS NOT NULL AND t.minutes > 0
  ORDER BY (r.participant_virtual_id LIKE 'sim-%') DESC, r.reviewed, r.review_wrong_probability DESC NULLS LAST, r.participant_virtual_id, r.segment_start
  LIMIT 1`;
const TIMELINE_SQL = 'SELECT final_label, source FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start = $2';
const EXPOSURE_SQL = 'SELECT micro_environment, minutes FROM exposure_daily WHERE participant_virtual_id = $1 AND day = $2::date';
const DECISIONS_SQL = `SELECT label, reviewer, comment, decided_at FROM review_decisions
  WHERE participant_virtual_id = $1 AND segment_start = $2 AND reviewer = $3 ORDER BY decided_at`;
const LATEST_SQL = 'SELECT label, reviewer FROM review_decisions_latest WHERE participant_virtual_id = $1 AND segment_start = $2';

const shot = (name: string) => page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: true });

async function timelineRow(): Promise<{ final_label: string | null; source: string } | undefined> {
  return (await wh.query<{ final_label: string | null; source: string }>(TIMELINE_SQL, [target.participant, target.segment_start])).rows[0];
}

async function exposureMinutes(): Promise<Record<string, number>> {
  const { rows } = await wh.query<{ micro_environment: string; minutes: number }>(EXPOSURE_SQL, [target.participant, target.day]);
  return Object.fromEntries(rows.map((r) => [r.micro_environment, Number(r.minutes)]));
}

async function myDecisions(): Promise<{ label: string; reviewer: string; comment: string | null; decided_at: Date }[]> {
  return (await wh.query(DECISIONS_SQL, [target.participant, target.segment_start, reviewer.name])).rows;
}

/** Waits for a condition in the page, failing with what `what` says and the page's status line. */
async function inPage(what: string, condition: string, timeoutMs = PAGE_TIMEOUT_MS): Promise<void> {
  try {
    await page.waitForFunction(condition, undefined, { timeout: timeoutMs });
  } catch (err) {
    const status = await page.locator('.status, .error').allInnerTexts().catch(() => []);
    throw new Error(`${what}: not seen in the page within ${timeoutMs / 1000} s (status: ${JSON.stringify(status)}; ${(err as Error).message.split('\n')[0]})`);
  }
}

beforeAll(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  if (config.review === null) throw new Error('the console was configured without review (REVIEW_WAREHOUSE_URL)');
  const { rows } = await researcher.query<Target>(CHOOSE_SEGMENT_SQL, [TIME_ZONE]);
  if (rows[0] === undefined) {
    throw new Error('no segment of the warehouse is flagged for review with measured minutes: run the other integration tests or `polluscope demo` first');
  }
  target = rows[0];
  startMs = target.segment_start.getTime();
  reviewer = await createReviewer('console-review');
  ({ baseUrl, browser, page, remoteRequests } = await openConsoleInChromium(app));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app.close();
  await Promise.all([researcher.end(), wh.end()]);
});

describe('the review queue in Chromium', () => {
  it('sends a reviewer who is not logged in to the login page, and logs in', async () => {
    const queueHash = `#/review/${encodeURIComponent(target.participant)}/${target.day}`;
    await page.goto(`${baseUrl}/${queueHash}`);
    await page.waitForSelector('form#login', { timeout: 30_000 }).catch(() => {
      throw new Error(`the queue of a visitor not logged in did not lead to the login form (at ${page.url()})`);
    });
    await shot('login');
    await page.fill('form#login input[name="name"]', reviewer.name);
    await page.fill('form#login input[name="password"]', reviewer.passphrase);
    await page.click('form#login button[type="submit"]');
    await page.waitForSelector('body[data-state="ready"] .review-view, body[data-state="error"]', { timeout: 60_000 }).catch(() => {
      throw new Error(`after login the queue did not open within 60 s (at ${page.url()})`);
    });
    expect(await page.locator('body').getAttribute('data-state'), await page.locator('main').innerText()).toBe('ready');
    const cookies = await page.context().cookies(baseUrl);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite])).toEqual([['polluscope-review', true, true, 'Strict']]);
    expect(await page.locator('nav.top .who').innerText()).toContain(reviewer.name);
  }, 120_000);

  it("opens the participant-day's queue: ranked segments, progress, the segment's context", async () => {
    const progress = page.locator('.progress');
    const total = Number(await progress.getAttribute('data-total'));
    const { rows } = await researcher.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM segments_needing_review WHERE participant_virtual_id = $1
         AND segment_start >= ($2::date::timestamp AT TIME ZONE $3::text) AND segment_start < (($2::date + 1)::timestamp AT TIME ZONE $3::text)`,
      [target.participant, target.day, TIME_ZONE],
    );
    expect(total).toBe(rows[0]!.n);
    expect(await page.locator('.queue-list li').count()).toBe(total);
    // j moves down the list until the chosen segment is shown (bounded by the list's length).
    for (let i = 0; i <= total && (await page.locator('section.review-item').getAttribute('data-start')) !== String(startMs); i++) {
      await page.keyboard.press(i < total ? 'j' : 'k');
    }
    await inPage(`the segment ${target.segment_start.toISOString()} selected with j`, `document.querySelector('section.review-item')?.getAttribute('data-start') === '${startMs}'`, 10_000);
    const current = page.locator('section.review-item');
    before = (await current.getAttribute('data-current-label')) ?? '';
    expect(before).toBe(target.final_label);
    expect(await current.locator('[data-chart="bands"]').count()).toBe(1);
    expect(await current.locator('[data-chart="pm25"]').count()).toBe(1);
    expect(await current.locator('.facts').innerText()).toMatch(/why flagged/);
    await shot('queue');
  });

  it('relabels the segment with a digit key: the decision reaches review_decisions with the logged-in reviewer, then the timeline and the exposure', async () => {
    const exposureBefore = await exposureMinutes();
    // The first numbered label that differs from the label now.
    const buttons = await page.locator('section.review-item button[data-action="relabel"]').evaluateAll((nodes) =>
      nodes.map((n) => ({ label: n.getAttribute('data-label') ?? '', text: n.textContent ?? '' })),
    );
    const pick = buttons.find((b) => /^[1-9] · /.test(b.text) && b.label !== before);
    if (pick === undefined) throw new Error(`no numbered label other than ${before}: ${JSON.stringify(buttons)}`);
    chosen = pick.label;
    const decidedBefore = Number(await page.locator('.progress').getAttribute('data-decided'));
    const wasPending = (await page.locator(`.queue-list li[data-start="${startMs}"]`).getAttribute('class')) === 'pending';
    await page.keyboard.press(pick.text[0]!);
    await inPage('the decision acknowledged on the page', `/recorded/.test(document.querySelector('.status')?.textContent ?? '')`, 30_000);
    // n of m decided: one more, unless someone had decided the segment before.
    if (wasPending) expect(Number(await page.locator('.progress').getAttribute('data-decided'))).toBe(decidedBefore + 1);
    await shot('decided');

    const stored = await eventually(`a decision by ${reviewer.name} in review_decisions`, DECISION_TIMEOUT_MS, myDecisions, (rows) => rows.length === 1);
    expect(stored[0]).toMatchObject({ label: chosen, reviewer: reviewer.name });
    await eventually(`the timeline of ${target.participant} ${target.segment_start.toISOString()} relabelled ${chosen} by review`, DECISION_TIMEOUT_MS, timelineRow, (row) => row?.final_label === chosen && row.source === 'review');
    await eventually(
      `the exposure of ${target.participant} on ${target.day} giving ${chosen} more minutes than ${exposureBefore[chosen] ?? 0}`,
      DECISION_TIMEOUT_MS,
      exposureMinutes,
      (after) => (after[chosen] ?? 0) > (exposureBefore[chosen] ?? 0),
    );
    // After a decision the page moves on to the next undecided segment: back to the decided one
    // (k moves up the list, bounded by its length), whose history the page's poll fills in.
    const total = Number(await page.locator('.progress').getAttribute('data-total'));
    for (let i = 0; i < total && (await page.locator('section.review-item').getAttribute('data-start')) !== String(startMs); i++) {
      await page.keyboard.press('k');
    }
    await inPage('the decided segment selected again', `document.querySelector('section.review-item')?.getAttribute('data-start') === '${startMs}'`, 10_000);
    await inPage('the stored decision in the history on the page', `[...document.querySelectorAll('section.review-item .decision-history li[data-pending="false"]')].some((li) => li.textContent.includes(${JSON.stringify(reviewer.name)}))`);
    await shot('decided-stored');
  }, 420_000);

  it('undoes with u: a second decision restores the label before; the history keeps both, the latest counts', async () => {
    await inPage('the decided segment selected again for undo', `document.querySelector('section.review-item') !== null`, 5_000);
    await page.keyboard.press('u');
    await inPage('the undo acknowledged on the page', `/Undone/.test(document.querySelector('.status')?.textContent ?? '')`, 30_000);
    expect(await page.locator('section.review-item').getAttribute('data-start')).toBe(String(startMs));
    const stored = await eventually(`two decisions by ${reviewer.name} in review_decisions`, DECISION_TIMEOUT_MS, myDecisions, (rows) => rows.length === 2);
    expect(stored.map((d) => d.label)).toEqual([chosen, before]);
    expect(stored[1]!.comment).toContain(`undo of ${chosen}`);
    expect(stored[1]!.decided_at.getTime()).toBeGreaterThan(stored[0]!.decided_at.getTime());
    const latest = (await researcher.query(LATEST_SQL, [target.participant, target.segment_start])).rows;
    expect(latest).toEqual([{ label: before, reviewer: reviewer.name }]);
    await eventually(`the timeline back to ${before}`, DECISION_TIMEOUT_MS, timelineRow, (row) => row?.final_label === before && row.source === 'review');
    await inPage('both decisions in the history on the page', `document.querySelectorAll('section.review-item .decision-history li[data-pending="false"]').length >= 2`);
    await shot('undone');
  }, 300_000);

  it('logs out: the session cookie no longer names the reviewer, a copy of the old one is refused, and so is the decision route', async () => {
    const countBefore = (await myDecisions()).length;
    const loggedIn = (await page.context().cookies(baseUrl)).find((c) => c.name === 'polluscope-review');
    expect(loggedIn, 'the session cookie before logout').toBeDefined();
    await page.click('nav.top #logout');
    await page.waitForURL(/#\/$/, { timeout: 30_000 }).catch(() => {
      throw new Error(`logout did not return to the participants page (at ${page.url()})`);
    });
    await page.waitForSelector('nav.top #login-link', { timeout: 30_000 });
    // The page asks for a fresh anonymous session (it carries the next CSRF token), so a cookie
    // may be back: it must not be the reviewer's, and it must name no one.
    const after = (await page.context().cookies(baseUrl)).find((c) => c.name === 'polluscope-review');
    expect(after?.value).not.toBe(loggedIn!.value);
    const sessionNow = await page.request.get(`${baseUrl}/api/session`);
    expect(((await sessionNow.json()) as { reviewer: string | null }).reviewer).toBeNull();
    const replayed = await fetch(`${baseUrl}/api/session`, { headers: { cookie: `polluscope-review=${loggedIn!.value}` } });
    expect(((await replayed.json()) as { reviewer: string | null }).reviewer, 'a copy of the logged-out cookie').toBeNull();
    await shot('logged-out');
    const refused = await page.request.post(`${baseUrl}/api/reviews/${encodeURIComponent(target.participant)}/${target.segment_start.toISOString()}`, {
      data: { label: chosen },
      headers: { 'content-type': 'application/json' },
    });
    expect([401, 403]).toContain(refused.status());
    // Nothing more was decided: wait a little in case a refused request had slipped through.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await myDecisions()).length).toBe(countBefore);
    await page.goto(`${baseUrl}/#/review/${encodeURIComponent(target.participant)}/${target.day}`);
    await page.waitForSelector('form#login', { timeout: 30_000 });
    expect(remoteRequests).toEqual([]);
  }, 120_000);
});
