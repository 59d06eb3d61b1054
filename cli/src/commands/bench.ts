import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { findRepoRoot } from '../infra/stack-config.js';

/** `polluscope bench [filter]`: the benchmarks live in bench/ at the repository root, run with tsx. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .argument('[filter]', 'run only benchmarks whose name contains this text')
    .description('run the algorithm benchmarks on one core; prints a table and writes bench/results/*.json')
    .action((filter: string | undefined) => {
      const root = findRepoRoot();
      const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', 'run.ts'), ...(filter ? [filter] : [])], { stdio: 'inherit' });
      process.exitCode = result.status ?? 1;
    });
}
