import { describe, expect, it } from 'vitest';
import { buildServiceApp, DEFAULT_MAX_BODY_BYTES, mutatingRoutes, notReadyReason } from './app.js';
import { createServiceMetrics } from './metrics.js';

describe('buildServiceApp', () => {
  it.each(['/', '/health', '/metrics'])('answers 400 naming an unknown query parameter on %s', async (url) => {
    const app = buildServiceApp({ name: 'gps-preprocessing', metrics: createServiceMetrics('gps-preprocessing') });
    const response = await app.inject({ method: 'GET', url: `${url}?verbose=1` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'Bad Request', message: 'querystring: unknown parameter "verbose"' });
  });

  it('answers 413 to a request body over the limit, before any route sees it', async () => {
    const app = buildServiceApp({ name: 'postprocessing', metrics: createServiceMetrics('postprocessing'), maxBodyBytes: 1024 });
    let seen = 0;
    app.post('/echo', async (request) => {
      seen++;
      return request.body;
    });
    const small = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(900) } });
    expect(small.statusCode).toBe(200);
    const large = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(1100) } });
    expect(large.statusCode).toBe(413);
    expect(seen).toBe(1);
  });

  it('limits bodies to DEFAULT_MAX_BODY_BYTES unless told otherwise', async () => {
    const app = buildServiceApp({ name: 'postprocessing', metrics: createServiceMetrics('postprocessing') });
    app.post('/echo', async () => 'ok');
    const over = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) } });
    expect(over.statusCode).toBe(413);
  });

  it('has no route that changes anything (services add theirs behind authentication)', async () => {
    const app = buildServiceApp({ name: 'gps-preprocessing', metrics: createServiceMetrics('gps-preprocessing') });
    app.post('/probe/:id', async () => 'ok');
    await app.ready();
    // The probe shows the listing works; the app's own routes add nothing to it.
    expect(mutatingRoutes(app)).toEqual([{ method: 'POST', url: '/probe/:id' }]);
  });

  it('greets with exactly "hello, <name>"', async () => {
    const app = buildServiceApp({ name: 'gps-preprocessing', metrics: createServiceMetrics('gps-preprocessing') });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('hello, gps-preprocessing');
  });

  it('reports ready only when the consumer has joined and the registry answers', async () => {
    const health = { joined: true, assignment: { 'raw.gps': [0, 1] }, lag: 7, openParticipants: 2, reason: null };
    const ready = buildServiceApp({
      name: 'gps-preprocessing',
      metrics: createServiceMetrics('gps-preprocessing'),
      runner: { health: () => health, stop: async () => undefined },
      codec: { reachable: async () => true },
    });
    const ok = await ready.inject({ method: 'GET', url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ service: 'gps-preprocessing', live: true, ready: true, consumer: health, registryReachable: true, lag: 7, reason: null });

    const unreachable = buildServiceApp({
      name: 'gps-preprocessing',
      metrics: createServiceMetrics('gps-preprocessing'),
      runner: { health: () => health, stop: async () => undefined },
      codec: { reachable: async () => false },
    });
    const notReady = await unreachable.inject({ method: 'GET', url: '/health' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ live: true, ready: false, registryReachable: false, reason: 'schema registry unreachable' });
  });

  it('reports not ready with the runner\'s reason while transient errors keep failing, and ready again once they pass', async () => {
    let reason: string | null = 'schema registry unreachable: connect ECONNREFUSED 127.0.0.1:8081';
    const app = buildServiceApp({
      name: 'timeseries-preprocessing',
      metrics: createServiceMetrics('timeseries-preprocessing'),
      runner: { health: () => ({ joined: true, assignment: {}, lag: 0, openParticipants: 0, reason }), stop: async () => undefined },
      codec: { reachable: async () => true },
    });
    const failing = await app.inject({ method: 'GET', url: '/health' });
    expect(failing.statusCode).toBe(503);
    expect(failing.json()).toMatchObject({ ready: false, reason: 'schema registry unreachable: connect ECONNREFUSED 127.0.0.1:8081' });
    reason = null;
    const passing = await app.inject({ method: 'GET', url: '/health' });
    expect(passing.statusCode).toBe(200);
    expect(passing.json()).toMatchObject({ ready: true, reason: null });
  });

  it('is not ready before the consumer has joined its group, and says so', () => {
    const consumer = { joined: false, assignment: {}, lag: 0, openParticipants: 0, reason: null };
    expect(notReadyReason(consumer, true)).toBe('consumer not in its group yet');
    expect(notReadyReason({ ...consumer, joined: true }, true)).toBeNull();
    expect(notReadyReason({ ...consumer, reason: 'kafka: connection refused' }, false)).toBe('kafka: connection refused');
  });

  it('exposes the pipeline metrics in Prometheus text', async () => {
    const metrics = createServiceMetrics('timeseries-preprocessing');
    metrics.recordsIn.inc({ topic: 'raw.sensor' }, 3);
    const app = buildServiceApp({ name: 'timeseries-preprocessing', metrics });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('polluscope_records_in_total{topic="raw.sensor",service="timeseries-preprocessing"} 3');
  });

  it('stops the consumer when the app closes', async () => {
    let stopped = false;
    const app = buildServiceApp({
      name: 'postprocessing',
      metrics: createServiceMetrics('postprocessing'),
      runner: { health: () => ({ joined: true, assignment: {}, lag: 0, openParticipants: 0, reason: null }), stop: async () => void (stopped = true) },
    });
    await app.close();
    expect(stopped).toBe(true);
  });
});
