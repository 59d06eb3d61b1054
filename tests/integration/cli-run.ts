/** Runs the built CLI as an operator does, for the integration tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stackConfig } from './stack.js';

const run = promisify(execFile);
const CLI = join(stackConfig.repoRoot, 'cli', 'bin', 'polluscope.js');

/** `polluscope …args`: its output and exit code, whatever the code. */
export function polluscope(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return polluscopeWithInput(null, ...args);
}

/** `polluscope …args` with `input` on its standard input (a pipe, not a terminal), or none. */
export async function polluscopeWithInput(input: string | null, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const running = run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    running.child.stdin?.end(input ?? '');
    const { stdout, stderr } = await running;
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}
