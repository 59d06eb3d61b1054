/**
 * Background processes of the embedded stack: started detached with their output in a log file,
 * remembered by a pid file, and stopped only when the pid file names a process that is still ours.
 */
import { spawn } from 'node:child_process';
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
