/**
 * infrastructure/connect/register-connectors.sh (the compose deployment's one-shot) against the
 * real Kafka Connect of the embedded stack: it updates the running connectors in place, reports a
 * connector whose task fails with its first trace line, and refuses a malformed file.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFetch } from '../../cli/src/infra/connectors.js';
import { connectRest, connectRestLoginEnv } from '../../cli/src/infra/stack-secrets.js';
import { endpoints, stackConfig } from './stack.js';

const script = join(stackConfig.repoRoot, 'infrastructure/connect/register-connectors.sh');
const connectorsDir = join(stackConfig.repoRoot, 'connectors');
const failingName = `it-failing-sink-${Date.now().toString(36)}`;
const scratch = mkdtempSync(join(tmpdir(), 'connectors-'));

function run(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', CONNECT_URL: endpoints.connectUrl, ...connectRestLoginEnv(stackConfig), CONNECTORS_DIR: dir, WAIT_TIMEOUT_S: '90', POLL_S: '1' };
  return new Promise((resolve) => {
    execFile('sh', [script], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  for (const tool of ['curl', 'jq']) {
    if (spawnSync(tool, ['--version']).error) throw new Error(`register-connectors.sh needs ${tool}: install it with \`sudo apt-get install -y curl jq\``);
  }
});

afterAll(async () => {
  await connectFetch(connectRest(stackConfig), `/connectors/${failingName}`, { method: 'DELETE' });
  rmSync(scratch, { recursive: true, force: true });
});

describe('register-connectors.sh against the real Kafka Connect', () => {
  it('updates every connector of connectors/*.json in place and waits until all run', async () => {
    const names = readdirSync(connectorsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(readFileSync(join(connectorsDir, f), 'utf8')) as { name: string }).name);
    const result = await run(connectorsDir);
    expect(result.code, result.stderr).toBe(0);
    for (const name of names) expect(result.stdout).toContain(`updated ${name}`);
    expect(result.stdout).toContain('all connectors running');
  });

  it('fails with the first trace line when a connector task fails', async () => {
    const sink = JSON.parse(readFileSync(join(connectorsDir, 'warehouse-sink-exposure.json'), 'utf8')) as { config: Record<string, string> };
    writeFileSync(
      join(scratch, 'failing.json'),
      JSON.stringify({ name: failingName, config: { ...sink.config, 'connection.password': 'not-the-password' } }),
    );
    const result = await run(scratch);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${failingName} failed:`);
    // The first line of the task's trace: an exception from the sink's database connection.
    expect(result.stderr).toMatch(new RegExp(`${failingName} failed: \\S+(Exception|Error)`));
  });

  it('refuses a file without a name, naming the file', async () => {
    const dir = mkdtempSync(join(scratch, 'broken-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ config: { 'connector.class': 'x' } }));
    const result = await run(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'broken.json')}: expected a string "name"`);
  });
});
