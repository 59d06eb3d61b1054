import { describe, expect, it } from 'vitest';
import { buildServiceApp } from './app.js';
import { createServiceMetrics } from './metrics.js';

describe('buildServiceApp', () => {
  it('greets with exactly "hello, <name>"', async () => {
    const app = buildServiceApp({ name: 'gps-preprocessing', metrics: createServiceMetrics('gps-preprocessing') });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('hello, gps-preprocessing');
  });

  it('reports ready only when the consumer has joined and the registry answers', async () => {
    const health = { joined: true, assignment: { 'raw.gps': [0, 1] }, lag: 7, openParticipants: 2 };
    const ready = buildServiceApp({
      name: 'gps-preprocessing',
      metrics: createServiceMetrics('gps-preprocessing'),
      runner: { health: () => health, stop: async () => undefined },
      codec: { reachable: async () => true },
    });
    const ok = await ready.inject({ method: 'GET', url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ service: 'gps-preprocessing', live: true, ready: true, consumer: health, registryReachable: true, lag: 7 });

    const unreachable = buildServiceApp({
      name: 'gps-preprocessing',
      metrics: createServiceMetrics('gps-preprocessing'),
      runner: { health: () => health, stop: async () => undefined },
      codec: { reachable: async () => false },
    });
    const notReady = await unreachable.inject({ method: 'GET', url: '/health' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ live: true, ready: false, registryReachable: false });
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
      runner: { health: () => ({ joined: true, assignment: {}, lag: 0, openParticipants: 0 }), stop: async () => void (stopped = true) },
    });
    await app.close();
    expect(stopped).toBe(true);
  });
});
