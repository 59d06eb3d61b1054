/**
 * The connector watchdog (infrastructure/connect/restart-failed-connectors.sh) against a fake
 * Kafka Connect REST API: it keeps watching while nothing fails (a `[ -n … ] &&` as the last
 * command of its loop once ended it under `set -e` on the first quiet poll), restarts a FAILED
 * connector's failed parts with the first line of the trace in its log, and backs off when the
 * connector fails again; a status call left unanswered is given up after HTTP_TIMEOUT_S.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../infrastructure/connect/restart-failed-connectors.sh', import.meta.url).pathname;

interface FakeConnect {
  readonly url: string;
  readonly restarts: string[];
  failing: boolean;
  /** Status calls accepted and never answered. */
  unanswered: number;
  close(): Promise<void>;
}

async function fakeConnect(): Promise<FakeConnect> {
  const fake = { restarts: [] as string[], failing: false, unanswered: 0 } as FakeConnect;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/connectors?expand=status') {
      if (fake.unanswered > 0) return void (fake.unanswered -= 1);
      const task = fake.failing ? { id: 0, state: 'FAILED', trace: 'org.postgresql.util.PSQLException: Connection refused\n\tat …' } : { id: 0, state: 'RUNNING' };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ 'warehouse-sink-points': { status: { name: 'warehouse-sink-points', connector: { state: 'RUNNING' }, tasks: [task] } } }));
      return;
    }
    if (request.method === 'POST' && request.url?.startsWith('/connectors/')) {
      fake.restarts.push(request.url);
      response.statusCode = 202;
      response.end('{}');
      return;
    }
    response.statusCode = 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

let watchdog: ChildProcess | undefined;
let connect: FakeConnect | undefined;
afterEach(async () => {
  watchdog?.kill();
  await connect?.close();
});

function start(url: string): { output: () => string; exited: () => number | null } {
  let output = '';
  watchdog = spawn('sh', [SCRIPT], { env: { ...process.env, CONNECT_URL: url, POLL_S: '1', MAX_BACKOFF_S: '4', HTTP_TIMEOUT_S: '1' } });
  watchdog.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  watchdog.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { output: () => output, exited: () => watchdog!.exitCode };
}

describe('connect watchdog', () => {
  it('keeps watching while nothing fails, restarts a failed connector, and backs off while it keeps failing', async () => {
    connect = await fakeConnect();
    const run = start(connect.url);
    await sleep(3500);
    expect(run.exited(), run.output()).toBeNull();
    expect(connect.restarts).toEqual([]);

    connect.failing = true;
    await sleep(3500);
    // First restart at once; the next no sooner than 1 s, then 2 s: two or three in 3.5 s, not one a poll.
    expect(connect.restarts[0]).toBe('/connectors/warehouse-sink-points/restart?includeTasks=true&onlyFailed=true');
    expect(connect.restarts.length).toBeGreaterThanOrEqual(2);
    expect(connect.restarts.length).toBeLessThanOrEqual(3);
    expect(run.output()).toMatch(/restart #1 of warehouse-sink-points; next one no sooner than 1s \(org\.postgresql\.util\.PSQLException: Connection refused\)/);

    connect.failing = false;
    await sleep(2500);
    const count = connect.restarts.length;
    await sleep(2000);
    expect(connect.restarts.length, 'no restart once it runs').toBe(count);
    expect(run.exited(), run.output()).toBeNull();
  }, 20_000);

  it('gives up a status call that is never answered and keeps watching', async () => {
    connect = await fakeConnect();
    connect.unanswered = 1;
    connect.failing = true;
    const run = start(connect.url);
    await sleep(4000);
    expect(run.exited(), run.output()).toBeNull();
    expect(run.output()).toMatch(/timed out/i);
    expect(connect.restarts[0]).toBe('/connectors/warehouse-sink-points/restart?includeTasks=true&onlyFailed=true');
  }, 20_000);
});
