import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@polluscope/common';
import { servicePort } from '../../cli/src/infra/services.js';
import { stackConfig } from './stack.js';

const services = SERVICE_NAMES.map((name) => [name, servicePort(stackConfig, name)] as const);

describe('the five services over HTTP', () => {
  it.each(services)('%s answers GET / with exactly "hello, <name>"', async (name, port) => {
    const response = await fetch(`http://${stackConfig.host}:${port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`hello, ${name}`);
  });

  it.each(services)('%s reports ready on /health with its consumer joined and the registry reachable', async (name, port) => {
    const response = await fetch(`http://${stackConfig.host}:${port}/health`);
    const body = (await response.json()) as { service: string; live: boolean; ready: boolean; registryReachable: boolean; consumer: { joined: boolean } };
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ service: name, live: true, ready: true, registryReachable: true, consumer: { joined: true } });
  });

  it.each(services)('%s exposes Prometheus metrics', async (_name, port) => {
    const response = await fetch(`http://${stackConfig.host}:${port}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('# TYPE polluscope_records_in_total counter');
    expect(text).toContain('# TYPE polluscope_dead_letters_total counter');
    expect(text).toContain('polluscope_batch_duration_seconds');
  });
});
