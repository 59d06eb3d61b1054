import { describe, expect, it } from 'vitest';
import { buildServiceApp, createServiceMetrics, type OutputRecord } from '@polluscope/common';
import { registerReviewRoutes, type ReviewStore } from './review-routes.js';
import type { ReviewQuery } from './warehouse-reviews.js';

/** The review routes on the service's app, over a store that records queries (no database). */
function reviewApp() {
  const queries: ReviewQuery[] = [];
  const produced: OutputRecord[] = [];
  const store: ReviewStore = {
    list: async (query) => {
      queries.push(query);
      return { items: [], total: 0, limit: query.limit, offset: query.offset };
    },
    segmentExists: async () => true,
  };
  const app = buildServiceApp({ name: 'postprocessing', metrics: createServiceMetrics('postprocessing') });
  registerReviewRoutes(app, { store, produce: async (outputs) => void produced.push(...outputs), now: () => 0 });
  return { app, queries, produced };
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
    const response = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown> });
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
  ])('%s %j answers 400 naming what was wrong, producing nothing', async (url, body, message) => {
    const { status, message: got, produced } = await post(url, body);
    expect(status).toBe(400);
    if (message !== undefined) expect(got).toBe(message);
    else expect(got).toMatch(/^label: /);
    expect(produced).toEqual([]);
  });
});
