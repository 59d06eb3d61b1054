#!/usr/bin/env node
// Sets up what a fresh clone is missing before `npm start` and `npm test`: the npm dependencies
// (npm ci, once), Debian's docker-compose package (the unit tests validate the Compose files with
// `docker-compose config`; installed when missing and running as root, as `infra up` installs
// PostgreSQL), and an up-to-date build of the TypeScript workspaces (tsc -b, incremental).
// The embedded stack's own prerequisites (PostGIS, the JVM artifacts) are set up by `infra up`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`setup: \`${command} ${args.join(' ')}\` failed`);
    process.exit(result.status ?? 1);
  }
};

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('setup: installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** docker-compose (v1, Debian's package) for the Compose validation tests; no Docker engine needed. */
function ensureDockerCompose() {
  if (onPath('docker-compose')) return;
  const manual = 'install it with `sudo apt-get install -y docker-compose` (Debian package); the Compose validation tests (tests/unit/compose.test.ts) fail without it';
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.warn(`setup: docker-compose is missing: ${manual}`);
    return;
  }
  console.log('setup: installing docker-compose from Debian packages…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'docker-compose'], { stdio: 'inherit', env }) : update;
  if (install.status !== 0 || !onPath('docker-compose')) console.warn(`setup: installing docker-compose failed: ${manual}`);
}

ensureDockerCompose();
run(join(root, 'node_modules', '.bin', 'tsc'), ['-b']);
