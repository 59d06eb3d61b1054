/**
 * Error classes (docs/design.md §4): during a registry or a broker outage the services do not pretend
 * to be ready. With the real registry, then the real broker, stopped, every service's `/health`
 * answers 503 with the reason; once the component is back (`infra up`), they are ready again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@polluscope/common';
import { jvmComponents } from '../../cli/src/infra/jvm-components.js';
import { stopProcess } from '../../cli/src/infra/processes.js';
import { servicePort } from '../../cli/src/infra/services.js';
import { stackUp } from '../../cli/src/infra/stack.js';
import { eventually, stackConfig } from './stack.js';

interface Health {
  readonly status: number;
  readonly ready: boolean;
  readonly reason: string | null;
}

async function health(service: (typeof SERVICE_NAMES)[number]): Promise<Health> {
  try {
    const response = await fetch(`http://${stackConfig.host}:${servicePort(stackConfig, service)}/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { ready: boolean; reason: string | null };
    return { status: response.status, ready: body.ready, reason: body.reason };
  } catch (err) {
    return { status: 0, ready: false, reason: `no answer: ${String(err)}` };
  }
}

const allHealth = async () => Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await health(s)] as const)));

async function stop(name: 'registry' | 'kafka'): Promise<void> {
  const component = jvmComponents(stackConfig).find((c) => c.spec.name === name);
  if (!component) throw new Error(`no embedded component named ${name}`);
  await stopProcess(stackConfig.runDir, component.spec.name, component.spec.marker, 60_000);
}

const log = (line: string) => console.log(`[outage] ${line}`);

describe('/health during outages', () => {
  afterAll(async () => {
    await stackUp(stackConfig, log);
    await eventually('every service ready again', 180_000, allHealth, (h) => Object.values(h).every((s) => s.ready));
  }, 300_000);

  it('says not ready, and why, while the registry is down; ready again after', { timeout: 300_000 }, async () => {
    await eventually('every service ready', 120_000, allHealth, (h) => Object.values(h).every((s) => s.ready));
    await stop('registry');
    const down = await eventually('not ready with the registry named', 60_000, allHealth, (h) =>
      Object.values(h).every((s) => s.status === 503 && !s.ready && /registry/i.test(s.reason ?? '')),
    );
    expect(Object.keys(down)).toHaveLength(SERVICE_NAMES.length);
    await stackUp(stackConfig, log);
    await eventually('every service ready again', 120_000, allHealth, (h) => Object.values(h).every((s) => s.ready && s.reason === null));
  });

  it('says not ready, and why, while the broker is down; ready again after', { timeout: 420_000 }, async () => {
    await stop('kafka');
    await eventually('not ready with the broker named', 120_000, allHealth, (h) =>
      Object.values(h).every((s) => s.status === 503 && !s.ready && /broker|kafka|consumer/i.test(s.reason ?? '')),
    );
    await stackUp(stackConfig, log);
    await eventually('every service ready again', 240_000, allHealth, (h) => Object.values(h).every((s) => s.ready && s.reason === null));
  });
});
