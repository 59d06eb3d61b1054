/**
 * The schemas' registration (infrastructure/registry/register-schemas.sh) against a fake
 * Confluent-compatible API that, like the stack's registry, answers reads to anyone and writes only
 * with the writer's login (docs/security.md): the login is sent with every request when
 * POLLUSCOPE_REGISTRY_USER is set, never otherwise, and a refused login stops the script; a write
 * left unanswered is given up after HTTP_TIMEOUT_S and tried again.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../infrastructure/registry/register-schemas.sh', import.meta.url).pathname;
const USER = 'schema-writer';
const PASSWORD = randomBytes(12).toString('hex');
const AUTHORIZATION = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

let server: Server;
let url = '';
let schemasDir = '';
const seen: Seen[] = [];
/** Writes the fake registry accepts and never answers, as the stack's registry once did. */
let writesLeftUnanswered = 0;

beforeAll(async () => {
  schemasDir = mkdtempSync(join(tmpdir(), 'register-schemas-'));
  writeFileSync(join(schemasDir, 'raw.sensor.avsc'), JSON.stringify({ type: 'record', name: 'Raw', fields: [] }));
  writeFileSync(join(schemasDir, 'sensor.clean.avsc'), JSON.stringify({ type: 'record', name: 'Clean', fields: [] }));
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization });
    request.resume();
    response.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
    if (request.method === 'GET') return void response.end('[]');
    if (request.headers.authorization !== AUTHORIZATION) return void response.writeHead(401).end('{"message":"User is not authenticated."}');
    if (writesLeftUnanswered > 0) return void (writesLeftUnanswered -= 1);
    response.end(request.method === 'POST' ? '{"id":7}' : '{"compatibility":"BACKWARD"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(schemasDir, { recursive: true, force: true });
});

/** Runs the script with `login` variables; its exit code and output. */
function run(login: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  seen.length = 0;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, REGISTRY_URL: url, SCHEMAS_DIR: schemasDir, WAIT_TIMEOUT_S: '5', HTTP_TIMEOUT_S: '1', ...login };
  return new Promise((resolve) => {
    const child = spawn('sh', [SCRIPT], { env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('register-schemas.sh', () => {
  it('sends the writer login with every request, and registers', async () => {
    const { code, output } = await run({ POLLUSCOPE_REGISTRY_USER: USER, POLLUSCOPE_REGISTRY_PASSWORD: PASSWORD });
    expect(code, output).toBe(0);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /subjects',
      'PUT /config/raw.sensor-value',
      'PUT /config/sensor.clean-value',
      'POST /subjects/sensor.clean-value/versions',
    ]);
    for (const request of seen) expect(request.authorization, `${request.method} ${request.path}`).toBe(AUTHORIZATION);
    expect(output).toContain('sensor.clean-value: BACKWARD, schema id 7');
    expect(output).not.toContain(PASSWORD);
  });

  it('without POLLUSCOPE_REGISTRY_USER sends no login, and stops at the first refused write', async () => {
    const { code, output } = await run({});
    expect(code).toBe(1);
    expect(seen.every((r) => r.authorization === undefined)).toBe(true);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /subjects', 'PUT /config/raw.sensor-value']);
    expect(output).toMatch(/refused the login for raw\.sensor-value \(HTTP 401\): set POLLUSCOPE_REGISTRY_USER and POLLUSCOPE_REGISTRY_PASSWORD/);
  });

  it('stops on a wrong password without printing it', async () => {
    const wrong = randomBytes(12).toString('hex');
    const { code, output } = await run({ POLLUSCOPE_REGISTRY_USER: USER, POLLUSCOPE_REGISTRY_PASSWORD: wrong });
    expect(code).toBe(1);
    expect(output).toMatch(/HTTP 401/);
    expect(output).not.toContain(wrong);
  });

  it('tries a write again when its answer does not come, and goes on', async () => {
    writesLeftUnanswered = 1;
    const { code, output } = await run({ POLLUSCOPE_REGISTRY_USER: USER, POLLUSCOPE_REGISTRY_PASSWORD: PASSWORD });
    expect(code, output).toBe(0);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /subjects',
      'PUT /config/raw.sensor-value',
      'PUT /config/raw.sensor-value',
      'PUT /config/sensor.clean-value',
      'POST /subjects/sensor.clean-value/versions',
    ]);
    expect(output).toContain('sensor.clean-value: BACKWARD, schema id 7');
  });

  it('fails, naming the subject, when a write is never answered', async () => {
    writesLeftUnanswered = Number.POSITIVE_INFINITY;
    try {
      const { code, output } = await run({ POLLUSCOPE_REGISTRY_USER: USER, POLLUSCOPE_REGISTRY_PASSWORD: PASSWORD });
      expect(code).toBe(1);
      expect(seen.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual(Array(3).fill('/config/raw.sensor-value'));
      expect(output).toMatch(/cannot reach the registry to configure raw\.sensor-value/);
    } finally {
      writesLeftUnanswered = 0;
    }
  }, 20_000);

  it('gives curl the login in a file, never on its command line', () => {
    const script = readFileSync(SCRIPT, 'utf8');
    const curls = script.split('\n').filter((line) => /\bcurl\s+-/.test(line));
    expect(curls.length).toBe(3);
    for (const line of curls) {
      expect(line).toContain('curl -K "$curl_config"');
      expect(line).not.toMatch(/\s(-u|--user)\s/);
    }
  });
});
