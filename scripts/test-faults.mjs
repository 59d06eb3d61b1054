#!/usr/bin/env node
// `npm run test:faults [-- --campaign N] [-- --seed S] [-- --results FILE] [vitest options]`: the fault
// suite (tests/faults), each fault with N seeds (FAULT_CAMPAIGN), the first seed S (FAULT_SEED), every
// case's result kept in FILE and the cases it already holds not run again (FAULT_RESULTS); other
// options go to vitest.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (const [option, variable, example] of [['--campaign', 'FAULT_CAMPAIGN', '20'], ['--seed', 'FAULT_SEED', '519509'], ['--results', 'FAULT_RESULTS', 'tests/faults/campaigns/next.json']]) {
  const at = args.indexOf(option);
  if (at < 0) continue;
  const value = args[at + 1];
  if (value === undefined || (variable !== 'FAULT_RESULTS' && !/^\d+$/.test(value)) || value.startsWith('--')) {
    console.error(`${option} needs ${variable === 'FAULT_RESULTS' ? 'a file name' : 'a whole number'}, e.g. ${option} ${example}`);
    process.exit(2);
  }
  env[variable] = value;
  args.splice(at, 2);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'faults', ...args], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
