/**
 * `npm run bench [filter]`: the algorithm benchmarks (bench/run.ts, given the filter); without a
 * filter, then the state of each stage with 1,000 participants (bench/memory.ts, no stack needed),
 * then the pipeline benchmarks on the running embedded stack: the stages through the
 * broker (bench/stages.ts) and the end-to-end run (bench/e2e.ts). Each prints its table and
 * writes its JSON under bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const args = process.argv.slice(2);

function run(script: string, scriptArgs: readonly string[]): void {
  const result = spawnSync(tsx, [join(here, script), ...scriptArgs], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('run.ts', args);
if (args.length === 0) {
  console.log('\n# State with 1,000 participants (bench/memory.ts)\n');
  run('memory.ts', []);
  console.log('\n# Stages through the broker (bench/stages.ts)\n');
  run('stages.ts', []);
  console.log('\n# End to end (bench/e2e.ts)\n');
  run('e2e.ts', []);
}
