#!/usr/bin/env node
// `npm run test:faults [-- --campaign N] [-- --seed S] [vitest options]`: the fault suite (tests/faults),
// each fault with N seeds (FAULT_CAMPAIGN), the first seed S (FAULT_SEED); other options go to vitest.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (const [option, variable] of [['--campaign', 'FAULT_CAMPAIGN'], ['--seed', 'FAULT_SEED']]) {
  const at = args.indexOf(option);
  if (at < 0) continue;
  const value = args[at + 1];
  if (value === undefined || !/^\d+$/.test(value)) {
    console.error(`${option} needs a whole number, e.g. ${option} 20`);
    process.exit(2);
  }
  env[variable] = value;
  args.splice(at, 2);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'faults', ...args], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
