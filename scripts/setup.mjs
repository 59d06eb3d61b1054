#!/usr/bin/env node
// Sets up what a fresh clone is missing before `npm start` and `npm test`: the npm dependencies
// (npm ci, once), an up-to-date build of the TypeScript workspaces (tsc -b, incremental) and of the
// console's pages, and Debian's docker-compose, prometheus and chromium packages (the unit tests
// validate the Compose files with `docker-compose config` and the alert rules with `promtool check
// rules`; the console's browser test drives Chromium; installed when missing and running as root,
// as `infra up` installs PostgreSQL, curl and jq).
// The embedded stack's own prerequisites (PostGIS, the JVM artifacts) are set up by `infra up`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
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
run(join(root, 'node_modules', '.bin', 'tsc'), ['-b']);
// The console's pages (Vite), which the console server and its browser test serve.
run('npm', ['run', 'build', '--silent', '-w', '@polluscope/console']);

// docker-compose (v1, Debian's package) for the Compose validation tests; no Docker engine needed.
const { ensureDebianPackages, hasCommand, isRoot } = await import('../cli/dist/infra/debian-packages.js');
try {
  ensureDebianPackages(['docker-compose'], () => hasCommand('docker-compose'), 'docker-compose', (line) => console.log(`setup: ${line}`), false);
} catch (err) {
  console.warn(`setup: ${err.message}; the Compose validation tests (tests/unit/compose.test.ts) fail without it`);
}

// curl and jq for the connector watchdog's test (tests/unit/connect-watchdog.test.ts), as `infra up` needs them.
try {
  ensureDebianPackages(['curl', 'jq'], () => hasCommand('curl') && hasCommand('jq'), 'curl and jq', (line) => console.log(`setup: ${line}`), false);
} catch (err) {
  console.warn(`setup: ${err.message}; the watchdog test (tests/unit/connect-watchdog.test.ts) fails without them`);
}

// Chromium for the console's browser test (tests/integration/console.test.ts) and `polluscope report --out F.pdf`,
// driven by playwright-core: Debian's package, not a browser downloaded by Playwright.
try {
  ensureDebianPackages(['chromium'], () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), 'Chromium', (line) => console.log(`setup: ${line}`), false);
} catch (err) {
  console.warn(`setup: ${err.message}; the console's browser test and PDF reports need it`);
}

// promtool (Debian's prometheus package) for the alert-rule tests (tests/unit/observability.test.ts).
// A policy-rc.d keeps the package from starting a Prometheus daemon: only the checker is wanted.
const policyRc = '/usr/sbin/policy-rc.d';
const addPolicy = isRoot() && !existsSync(policyRc);
if (addPolicy) writeFileSync(policyRc, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
try {
  ensureDebianPackages(['prometheus'], () => hasCommand('promtool'), 'promtool', (line) => console.log(`setup: ${line}`), false);
} catch (err) {
  console.warn(`setup: ${err.message}; the alert-rule tests (tests/unit/observability.test.ts) fail without it`);
} finally {
  if (addPolicy) rmSync(policyRc, { force: true });
}
