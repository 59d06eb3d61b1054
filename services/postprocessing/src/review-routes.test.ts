import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildServiceApp, createServiceMetrics, mutatingRoutes, type OutputRecord } from '@polluscope/common';
import { hashReviewerPassword, type ReviewerDirectory } from './reviewer-accounts.js';
import { registerReviewRoutes, type ReviewStore } from './review-routes.js';
import type { ReviewQuery } from './warehouse-reviews.js';

/** One reviewer account, alice, with a passphrase made up per run. */
const alicePassphrase = randomBytes(12).toString('base64url');
const aliceHash = hashReviewerPassword(alicePassphrase);
const reviewers: ReviewerDirectory = { passwordHash: async (name) => (name === 'alice' ? aliceHash : null) };
const basic = (name: string, passphrase: string): string => `Basic ${Buffer.from(`${name}:${passphrase}`).toString('base64')}`;
const asAlice = { authorization: basic('alice', alicePassphrase) };

/** The review routes on the service's app, over a store that records queries (no database). */
function reviewApp() {
  const queries: ReviewQuery[] = [];
  const produced: OutputRecord[] = [];
  const asked: string[] = [];
  const store: ReviewStore = {
    list: async (query) => {
      queries.push(query);
      return { items: [], total: 0, limit: query.limit, offset: query.offset };
    },
    segmentExists: async (participant) => {
      asked.push(participant);
      return true;
    },
  };
  const app = buildServiceApp({ name: 'postprocessing', metrics: createServiceMetrics('postprocessing') });
  registerReviewRoutes(app, { store, reviewers, produce: async (outputs) => void produced.push(...outputs), now: () => 0 });
  return { app, queries, produced, asked };
}

async function get(url: string) {
  const { app, queries } = reviewApp();
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, message: response.json<{ message?: string }>().message, queries };
}

describe('GET /reviews parameters', () => {
  it('passes good parameters to the store with the defaults filled in', async () => {
    const { status, queries } = await get('/reviews?participant=sim-001&day=2026-01-05&limit=10');
    expect(status).toBe(200);
    expect(queries).toEqual([{ participant: 'sim-001', day: '2026-01-05', pending: true, limit: 10, offset: 0 }]);
  });

  it.each([
    ['/reviews?day=2026-13-45', 'querystring parameter "day" must match format "date"'],
    ['/reviews?day=2026-02-30', 'querystring parameter "day" must match format "date"'],
    ['/reviews?day=yesterday', 'querystring parameter "day" must match format "date"'],
    ['/reviews?limit=abc', 'querystring parameter "limit" must be integer'],
    ['/reviews?limit=0', 'querystring parameter "limit" must be >= 1'],
    ['/reviews?limit=501', 'querystring parameter "limit" must be <= 500'],
    ['/reviews?limit=2.5', 'querystring parameter "limit" must be integer'],
    ['/reviews?offset=-1', 'querystring parameter "offset" must be >= 0'],
    ['/reviews?pending=maybe', 'querystring parameter "pending" must be boolean'],
    ['/reviews?participant=', 'querystring parameter "participant" must NOT have fewer than 1 characters'],
    ['/reviews?dya=2026-01-05', 'querystring: unknown parameter "dya"'],
  ])('%s answers 400 naming the parameter, without asking the store', async (url, message) => {
    const { status, message: got, queries } = await get(url);
    expect(status).toBe(400);
    expect(got).toBe(message);
    expect(queries).toEqual([]);
  });
});

describe('POST /reviews/:participant/:segmentStart parameters', () => {
  async function post(url: string, body: unknown) {
    const { app, produced } = reviewApp();
    const response = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: asAlice });
    return { status: response.statusCode, message: response.json<{ message?: string }>().message, produced };
  }

  it('takes an ISO-8601 time with an offset or epoch milliseconds', async () => {
    for (const start of ['2026-01-05T08:00:00Z', '2026-01-05T09:00:00%2B01:00', '1767600000000']) {
      const { status, produced } = await post(`/reviews/sim-001/${start}`, { label: 'Bureau' });
      expect(status).toBe(202);
      expect(produced[0]?.value).toMatchObject({ segment_start: 1767600000000, label: 'Bureau' });
    }
  });

  it.each([
    ['/reviews/sim-001/tomorrow', { label: 'Bureau' }, 'params parameter "segmentStart" must match pattern "^\\d{1,15}$" or must match format "date-time"'],
    ['/reviews/sim-001/2026-13-45T08:00:00Z', { label: 'Bureau' }, 'params parameter "segmentStart" must match pattern "^\\d{1,15}$" or must match format "date-time"'],
    ['/reviews/sim-001/1767600000000', {}, 'body: missing parameter "label"'],
    ['/reviews/sim-001/1767600000000', { label: { name: 'Bureau' } }, 'body parameter "label" must be string'],
    ['/reviews/sim-001/1767600000000', { label: 'Bureau', lable: 'x' }, 'body: unknown parameter "lable"'],
    ['/reviews/sim-001/1767600000000', { label: 'Bureaux' }, undefined],
    ['/reviews/sim-001/1767600000000', { label: 'B'.repeat(65) }, 'body parameter "label" must NOT have more than 64 characters'],
    ['/reviews/sim-001/1767600000000', { label: 'Bureau', comment: 'c'.repeat(2001) }, 'body parameter "comment" must NOT have more than 2000 characters'],
    ['/reviews/sim-001/1767600000000', { label: 'Bureau', reviewer: 'r'.repeat(65) }, 'body parameter "reviewer" must NOT have more than 64 characters'],
  ])('%s %j answers 400 naming what was wrong, producing nothing', async (url, body, message) => {
    const { status, message: got, produced } = await post(url, body);
    expect(status).toBe(400);
    if (message !== undefined) expect(got).toBe(message);
    else expect(got).toMatch(/^label: /);
    expect(produced).toEqual([]);
  });
});

describe('POST /reviews needs a reviewer account (HTTP Basic)', () => {
  const url = '/reviews/sim-001/1767600000000';
  async function post(headers: Record<string, string>, body: unknown = { label: 'Bureau' }) {
    const { app, produced, asked } = reviewApp();
    const response = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers });
    return { response, produced, asked };
  }

  it.each([
    ['no credentials', {}],
    ['a wrong password', { authorization: basic('alice', `${alicePassphrase}x`) }],
    ['an unknown reviewer', { authorization: basic('mallory', alicePassphrase) }],
    ['a name that cannot be a reviewer', { authorization: basic('al ice', alicePassphrase) }],
    ['another scheme', { authorization: `Bearer ${alicePassphrase}` }],
    ['no colon', { authorization: `Basic ${Buffer.from('alice').toString('base64')}` }],
  ])('answers 401 with a challenge to %s, producing nothing and asking nothing', async (_what, headers) => {
    const { response, produced, asked } = await post(headers);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="polluscope-review", charset="UTF-8"');
    expect(response.body).not.toContain(alicePassphrase);
    expect(produced).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('checks credentials before reading the body', async () => {
    const { response } = await post({ 'content-type': 'application/json' }, '{not json');
    expect(response.statusCode).toBe(401);
  });

  it('records the account that logged in as the reviewer', async () => {
    const { response, produced } = await post(asAlice, { label: 'Bureau', comment: 'seen on the map' });
    expect(response.statusCode).toBe(202);
    expect(produced[0]?.value).toMatchObject({ reviewer: 'alice', label: 'Bureau', comment: 'seen on the map' });
    expect(response.json()).toMatchObject({ decision: { reviewer: 'alice' } });
  });

  it('takes a body naming the same reviewer (earlier clients sent one), refuses another name', async () => {
    expect((await post(asAlice, { label: 'Bureau', reviewer: 'alice' })).response.statusCode).toBe(202);
    const other = await post(asAlice, { label: 'Bureau', reviewer: 'bob' });
    expect(other.response.statusCode).toBe(400);
    expect(other.response.json<{ message: string }>().message).toBe(
      'body parameter "reviewer": decisions are recorded under the account that logged in (alice); leave "reviewer" out',
    );
    expect(other.produced).toEqual([]);
  });

  it('leaves GET /reviews open', async () => {
    const { app } = reviewApp();
    expect((await app.inject({ method: 'GET', url: '/reviews' })).statusCode).toBe(200);
  });
});

describe('every mutating route of the postprocessing app', () => {
  it('answers 401 without credentials', async () => {
    const { app } = reviewApp();
    await app.ready();
    const mutating = mutatingRoutes(app);
    expect(mutating).toEqual([{ method: 'POST', url: '/reviews/:participant/:segmentStart' }]);
    for (const route of mutating) {
      const url = route.url.replace(':participant', 'sim-001').replace(':segmentStart', '1767600000000');
      const response = await app.inject({ method: route.method, url, payload: { label: 'Bureau' } });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
