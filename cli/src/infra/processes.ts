/**
 * Background processes of the embedded stack: started detached with their output in a log file,
 * remembered by a pid file, and stopped only when the pid file names a process that is still ours.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** False: the process gets `env` only, not this process's environment (true by default). */
  readonly inheritEnv?: boolean;
  readonly cwd?: string;
  /** A string the process's command line contains, so a recycled pid is never mistaken for ours. */
  readonly marker: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export function pidFile(runDir: string, name: string): string {
  return join(runDir, `${name}.pid`);
}

/** The pid of a running process we started, or null. */
export function runningPid(runDir: string, name: string, marker: string): number | null {
  const file = pidFile(runDir, name);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandLine(pid).includes(marker)) return null;
  return pid;
}

/** The environment a process is started with: ours plus `spec.env`, or `spec.env` alone. */
export function processEnv(spec: ProcessSpec, ownEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return spec.inheritEnv === false ? { ...spec.env } : { ...ownEnv, ...spec.env };
}

/** Starts the process detached unless it already runs; returns its pid. */
export function startProcess(spec: ProcessSpec, runDir: string, logFile: string): number {
  const existing = runningPid(runDir, spec.name, spec.marker);
  if (existing !== null) return existing;
  mkdirSync(runDir, { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: processEnv(spec, process.env),
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command} (see ${logFile})`);
  child.unref();
  writeFileSync(pidFile(runDir, spec.name), `${child.pid}\n`);
  return child.pid;
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL. Removes the pid file. */
export async function stopProcess(runDir: string, name: string, marker: string, graceMs = 20_000): Promise<boolean> {
  const pid = runningPid(runDir, name, marker);
  rmSync(pidFile(runDir, name), { force: true });
  if (pid === null) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return true;
}

/**
 * What makes a process what it is: its command, arguments and the settings it is given, but not
 * the variables it inherits from whoever starts it (`ignoredEnv`: PATH, HOME, locale), which
 * differ between an operator's shell and a test runner without changing the component.
 */
export function specFingerprint(spec: ProcessSpec, ignoredEnv: readonly string[]): string {
  const env = Object.entries(spec.env ?? {})
    .filter(([name]) => !ignoredEnv.includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify({ command: spec.command, args: spec.args, env })).digest('hex');
}

function fingerprintFile(runDir: string, name: string): string {
  return join(runDir, `${name}.spec`);
}

/**
 * Starts the process, or leaves it running when it was started with the same fingerprint; one
 * started with other settings (an upgrade added a connector's password, a registry policy) is
 * restarted, since a running process never rereads them. `onRestart` says why.
 */
export async function startOrRestart(spec: ProcessSpec, runDir: string, logFile: string, fingerprint: string, onRestart: () => void): Promise<number> {
  const file = fingerprintFile(runDir, spec.name);
  const previous = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  if (runningPid(runDir, spec.name, spec.marker) !== null && previous !== fingerprint) {
    onRestart();
    await stopProcess(runDir, spec.name, spec.marker);
  }
  const pid = startProcess(spec, runDir, logFile);
  writeFileSync(file, `${fingerprint}\n`);
  return pid;
}
