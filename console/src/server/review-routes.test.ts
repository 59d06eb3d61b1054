import { randomBytes } from 'node:crypto';
import { mutatingRoutes } from '@polluscope/common';
import { hashReviewerPassword, type ReviewerDirectory } from '@polluscope/postprocessing';
import type { ReviewDecisionRecord } from '@polluscope/postprocessing/domain';
import type { FastifyInstance, FastifyPluginAsync, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ReviewDecisionRow, ReviewQueueRow } from '../review/shape-review-queue.js';
import { buildConsoleApp } from './app.js';
import type { ReviewQueueStore } from './review-queue-reader.js';
import { CSRF_HEADER, reviewRoutes, SESSION_COOKIE } from './review-routes.js';
import type { ConsoleWarehouse } from './warehouse-reader.js';

/** One reviewer account, alice, with a passphrase made up per run. */
const alicePassphrase = randomBytes(15).toString('base64url');
const aliceHash = hashReviewerPassword(alicePassphrase);
const reviewers: ReviewerDirectory = { passwordHash: async (name) => (name === 'alice' ? aliceHash : null) };

const SEGMENT = '2026-01-12T08:00:00.000Z';
const DECIDED_AT_MS = Date.parse('2026-01-13T10:00:00Z');
const at = (iso: string) => new Date(iso);

const QUEUE_ROWS: ReviewQueueRow[] = [
  { segment_start: at('2026-01-12T07:00:00Z'), segment_end: at('2026-01-12T07:05:00Z'), review_reason: 'low_confidence_no_gps', review_wrong_probability: 0.55, declared_label: null, predicted_label: 'Domicile', confidence: 0.45, probabilities: { Domicile: 0.45, Bureau: 0.4 }, rule_applied: null, final_label: 'Domicile', final_source: 'sensors' },
  { segment_start: at(SEGMENT), segment_end: at('2026-01-12T08:05:00Z'), review_reason: 'contradicts_declaration', review_wrong_probability: 0.8, declared_label: 'Walk', predicted_label: 'Bureau', confidence: 0.5, probabilities: { Bureau: 0.5, Walk: 0.3 }, rule_applied: null, final_label: 'Walk', final_source: 'review' },
];
const HISTORY: ReviewDecisionRow[] = [
  { segment_start: at(SEGMENT), label: 'Bureau', reviewer: 'bob', comment: null, decided_at: at('2026-01-13T08:00:00Z') },
  { segment_start: at(SEGMENT), label: 'Walk', reviewer: 'alice', comment: null, decided_at: at('2026-01-13T09:00:00Z') },
];

const noWarehouse: ConsoleWarehouse = {
  participantDays: async () => [],
  participantDay: async () => ({ dayStart: at(SEGMENT), dayEnd: at(SEGMENT), minutes: [], timeline: [], fixes: [], stops: [], exposure: [], days: [] }),
  close: async () => undefined,
};

/** The console with the review routes over recording fakes: no database, no Kafka. */
function reviewConsole(overrides: { loginAttemptsPerMinute?: number; failProduce?: boolean; onRoute?: (route: { method: string; url: string }) => void } = {}) {
  const produced: ReviewDecisionRecord[] = [];
  const queue: ReviewQueueStore = {
    queue: async () => ({ rows: QUEUE_ROWS, decisions: HISTORY }),
    segmentExists: async (participant) => participant === 'sim-001',
    close: async () => undefined,
  };
  const plugin = reviewRoutes({
    reviewers,
    queue,
    decisions: {
      produce: async (decision) => {
        if (overrides.failProduce) throw new Error('broker not reachable');
        produced.push(decision);
      },
      close: async () => undefined,
    },
    timeZone: 'Europe/Paris',
    sessionKey: randomBytes(32),
    sessionTtlS: 3600,
    loginAttemptsPerMinute: overrides.loginAttemptsPerMinute ?? 20,
    now: () => DECIDED_AT_MS,
  });
  const watch: FastifyPluginAsync = async (scope) => {
    scope.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) overrides.onRoute?.({ method, url: route.url });
    });
    await scope.register(plugin);
  };
  const app = buildConsoleApp({ warehouse: noWarehouse, timeZone: 'Europe/Paris', tileUrl: null, pagesDir: null, logLevel: 'silent', plugins: [watch] });
  return { app, produced };
}

/** A browser's part: keeps the session cookie and the CSRF token between requests. */
class Client {
  cookie = '';
  token = '';
  constructor(private readonly app: FastifyInstance) {}

  async request(method: 'GET' | 'POST', url: string, body?: unknown, withToken = true): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (withToken && this.token) headers[CSRF_HEADER] = this.token;
    const response = await this.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    // As set, still URL-encoded (the parsed `response.cookies` are decoded).
    const setCookies = [response.headers['set-cookie'] ?? []].flat();
    const session = setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (session) this.cookie = /Max-Age=0\b/i.test(session) || session.startsWith(`${SESSION_COOKIE}=;`) ? '' : session.split(';')[0]!;
    const json = response.headers['content-type']?.toString().startsWith('application/json') ? response.json() : {};
    if (typeof json.csrfToken === 'string') this.token = json.csrfToken;
    return response;
  }

  async session() {
    return (await this.request('GET', '/api/session')).json<{ reviewer: string | null; csrfToken: string }>();
  }

  async login(name = 'alice', password = alicePassphrase) {
    await this.session();
    return this.request('POST', '/api/login', { name, password });
  }
}

const decisionUrl = `/api/reviews/sim-001/${SEGMENT}`;

describe('reviewer login', () => {
  it('gives an anonymous visitor a token in a Secure, HTTP-only, SameSite=Strict session cookie', async () => {
    const { app } = reviewConsole();
    const response = await app.inject({ method: 'GET', url: '/api/session' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ reviewer: null, csrfToken: expect.any(String) });
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
  });

  it('logs in with the right password and names the reviewer', async () => {
    const client = new Client(reviewConsole().app);
    const response = await client.login();
    expect(response.statusCode).toBe(200);
    expect(response.json().reviewer).toBe('alice');
    expect((await client.session()).reviewer).toBe('alice');
  });

  it('refuses a wrong password or an unknown reviewer with 401, and stays logged out', async () => {
    const client = new Client(reviewConsole().app);
    for (const [name, password] of [['alice', `${alicePassphrase}x`], ['mallory', alicePassphrase]] as const) {
      const response = await client.login(name, password);
      expect(response.statusCode, name).toBe(401);
      expect(response.json().message).toBe('unknown reviewer or wrong password');
    }
    expect((await client.session()).reviewer).toBeNull();
  });

  it('refuses a login without the CSRF token (403)', async () => {
    const client = new Client(reviewConsole().app);
    await client.session();
    const response = await client.request('POST', '/api/login', { name: 'alice', password: alicePassphrase }, false);
    expect(response.statusCode).toBe(403);
    expect((await client.session()).reviewer).toBeNull();
  });

  it('limits login attempts per minute: past the limit 429, even with the right password', async () => {
    const client = new Client(reviewConsole({ loginAttemptsPerMinute: 3 }).app);
    for (let i = 0; i < 3; i++) expect((await client.login('alice', 'wrong-password-12')).statusCode).toBe(401);
    const blocked = await client.login();
    expect(blocked.statusCode).toBe(429);
    expect((await client.session()).reviewer).toBeNull();
  });
});

describe('who may do what', () => {
  it('every mutating route refuses a request without the CSRF token, logged in or not', async () => {
    // Every route as Fastify registers it (printRoutes, which mutatingRoutes reads, nests /undo under its parent).
    const routes: { method: string; url: string }[] = [];
    const { app, produced } = reviewConsole({ onRoute: (route) => routes.push(route) });
    const client = new Client(app);
    await client.login();
    expect(mutatingRoutes(app).length, 'the routes seen by onRoute are all the mutating ones').toBeLessThanOrEqual(routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length);
    const mutating = routes.filter((r) => !['GET', 'HEAD'].includes(r.method));
    expect(mutating.map((r) => r.url).sort()).toEqual(['/api/login', '/api/logout', '/api/reviews/:participant/:segmentStart', '/api/reviews/:participant/:segmentStart/undo']);
    for (const { url } of mutating) {
      const concrete = url.replace(':participant', 'sim-001').replace(':segmentStart', SEGMENT);
      const response = await client.request('POST', concrete, { label: 'Bureau' }, false);
      expect(response.statusCode, url).toBe(403);
    }
    expect(produced).toEqual([]);
    expect((await client.session()).reviewer).toBe('alice');
  });

  it('the decision routes and the queue answer 401 without a session, and decide nothing', async () => {
    const { app, produced } = reviewConsole();
    const client = new Client(app);
    await client.session();
    expect((await client.request('POST', decisionUrl, { label: 'Bureau' })).statusCode).toBe(401);
    expect((await client.request('POST', `${decisionUrl}/undo`, { label: 'Bureau', undoes: { label: 'Walk', decidedAt: SEGMENT } })).statusCode).toBe(401);
    expect((await client.request('GET', '/api/participants/sim-001/days/2026-01-12/reviews')).statusCode).toBe(401);
    expect(produced).toEqual([]);
  });

  it("records the session's reviewer, whatever the body says", async () => {
    const { app, produced } = reviewConsole();
    const client = new Client(app);
    await client.login();
    const response = await client.request('POST', decisionUrl, { label: 'Rue', comment: 'seen walking', reviewer: 'mallory' });
    expect(response.statusCode).toBe(202);
    expect(produced).toEqual([{ participant_virtual_id: 'sim-001', segment_start: Date.parse(SEGMENT), label: 'Walk', reviewer: 'alice', comment: 'seen walking', decided_at: DECIDED_AT_MS }]);
    expect(response.json().decision).toMatchObject({ reviewer: 'alice', label: 'Walk', segment_start: SEGMENT });
  });

  it('answers 400 for a label that is not a micro-environment, 404 for a segment that does not exist', async () => {
    const { app, produced } = reviewConsole();
    const client = new Client(app);
    await client.login();
    const bad = await client.request('POST', decisionUrl, { label: 'metro' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^label: .*did you mean 'Métro'/);
    expect((await client.request('POST', `/api/reviews/nobody/${SEGMENT}`, { label: 'Bureau' })).statusCode).toBe(404);
    expect(produced).toEqual([]);
  });

  it('undo produces a new decision restoring the label before, later than the one it undoes, saying so', async () => {
    const { app, produced } = reviewConsole();
    const client = new Client(app);
    await client.login();
    expect((await client.request('POST', decisionUrl, { label: 'Bureau' })).statusCode).toBe(202);
    const undone = produced[0]!;
    const undo = await client.request('POST', `${decisionUrl}/undo`, { label: 'Walk', undoes: { label: 'Bureau', decidedAt: new Date(undone.decided_at).toISOString() } });
    expect(undo.statusCode).toBe(202);
    expect(produced).toHaveLength(2);
    const restoring = produced[1]!;
    expect(restoring).toMatchObject({ participant_virtual_id: 'sim-001', segment_start: Date.parse(SEGMENT), label: 'Walk', reviewer: 'alice' });
    expect(restoring.comment).toBe(`undo of Bureau (decided ${new Date(undone.decided_at).toISOString()}): back to Walk`);
    // The clock did not move: the undo is still the later decision, so it is the one that counts.
    expect(restoring.decided_at).toBeGreaterThan(undone.decided_at);
  });

  it('answers 503 when the decision cannot reach Kafka', async () => {
    const client = new Client(reviewConsole({ failProduce: true }).app);
    await client.login();
    const response = await client.request('POST', decisionUrl, { label: 'Bureau' });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toContain('broker not reachable');
  });

  it('after logout the decision route answers 401, also to a copy of the old cookie', async () => {
    const { app, produced } = reviewConsole();
    const client = new Client(app);
    await client.login();
    const copy = { cookie: client.cookie, token: client.token };
    expect((await client.request('POST', '/api/logout')).statusCode).toBe(200);
    expect(client.cookie).toBe('');
    expect((await client.session()).reviewer).toBeNull();
    expect((await client.request('POST', decisionUrl, { label: 'Bureau' })).statusCode).toBe(401);
    const replay = await app.inject({ method: 'POST', url: decisionUrl, headers: { cookie: copy.cookie, [CSRF_HEADER]: copy.token }, payload: { label: 'Bureau' } });
    expect(replay.statusCode).toBe(401);
    expect(produced).toEqual([]);
  });
});

describe('the review queue', () => {
  it("ranks the day's flagged segments likeliest wrong first, each with its history newest first", async () => {
    const client = new Client(reviewConsole().app);
    await client.login();
    const response = await client.request('GET', '/api/participants/sim-001/days/2026-01-12/reviews');
    expect(response.statusCode).toBe(200);
    const queue = response.json();
    expect(queue).toMatchObject({ participant: 'sim-001', day: '2026-01-12', timeZone: 'Europe/Paris' });
    expect(queue.labels).toContain('Métro');
    expect(queue.items.map((i: { wrongProbability: number }) => i.wrongProbability)).toEqual([0.8, 0.55]);
    expect(queue.items[0].decisions.map((d: { label: string; reviewer: string }) => [d.label, d.reviewer])).toEqual([
      ['Walk', 'alice'],
      ['Bureau', 'bob'],
    ]);
    expect(queue.items[1].decisions).toEqual([]);
  });

  it('answers 400 naming the parameter for a bad day', async () => {
    const client = new Client(reviewConsole().app);
    await client.login();
    const response = await client.request('GET', '/api/participants/sim-001/days/2026-02-30/reviews');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('day');
  });
});
