/**
 * CPU time of each component of the stack over a benchmark run (issue 20: the budget of the two
 * cores, per component). A component is a process tree: a PostgreSQL cluster is its postmaster and
 * the backends it forks, a JVM or a service one process. Read from /proc, Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat a CPU budget needs, in clock ticks. */
export interface ProcessTicks {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime: the process's own CPU. */
  readonly own: number;
  /** cutime + cstime: CPU of children it has reaped (a PostgreSQL backend that ended). */
  readonly reapedChildren: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold spaces or
 * parentheses itself, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcessTicks {
  const close = text.lastIndexOf(')');
  const pid = Number(text.slice(0, text.indexOf('(')).trim());
  // After ") ": field 3 (state) is index 0, so field n is index n − 3.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(fields[n - 3]);
  const ticks = { pid, ppid: field(4), own: field(14) + field(15), reapedChildren: field(16) + field(17) };
  if (!Object.values(ticks).every(Number.isInteger)) throw new Error(`unreadable /proc stat line: ${text.slice(0, 120)}`);
  return ticks;
}

/**
 * Ticks of the tree rooted at `root`: every live process's own CPU plus what each has reaped. A
 * child still alive is counted once, by itself; one that ended is in its parent's reaped ticks.
 */
export function treeTicks(root: number, processes: ReadonlyMap<number, ProcessTicks>): number | null {
  if (!processes.has(root)) return null;
  const children = new Map<number, number[]>();
  for (const p of processes.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  let ticks = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const p = processes.get(pid);
    if (p === undefined) continue;
    ticks += p.own + p.reapedChildren;
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return ticks;
}

/** Busy ticks of the whole machine from /proc/stat's `cpu` line (everything but idle and iowait). */
export function busyTicks(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no cpu line');
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce((sum: number, v) => sum + (v ?? 0), 0);
}

export interface CpuSnapshot {
  readonly atMs: number;
  readonly machineBusyTicks: number;
  /** Ticks per component, null when its process was not running. */
  readonly components: ReadonlyMap<string, number | null>;
}

export interface ComponentCpu {
  readonly component: string;
  /** CPU seconds over the run, null when the component was not running at both ends. */
  readonly cpuSeconds: number | null;
}

/** CPU seconds per component between two snapshots, the rest of the machine as `other`. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, ticksPerSecond: number): { components: ComponentCpu[]; machineSeconds: number; otherSeconds: number } {
  const components: ComponentCpu[] = [];
  let counted = 0;
  for (const [component, end] of after.components) {
    const start = before.components.get(component);
    // A restarted component starts its ticks again: the run's figure is then unknown.
    const ticks = end === null || start === null || start === undefined || end < start ? null : end - start;
    if (ticks !== null) counted += ticks;
    components.push({ component, cpuSeconds: ticks === null ? null : ticks / ticksPerSecond });
  }
  const machine = after.machineBusyTicks - before.machineBusyTicks;
  return { components, machineSeconds: machine / ticksPerSecond, otherSeconds: Math.max(0, machine - counted) / ticksPerSecond };
}

/** The clock ticks per second /proc counts in (USER_HZ, 100 on Linux unless configured). */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const p = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      processes.set(p.pid, p);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return processes;
}

/** CPU ticks now of each component, given the pid at the root of its tree. */
export function snapshotCpu(roots: ReadonlyMap<string, number | null>): CpuSnapshot {
  const processes = readProcesses();
  const components = new Map<string, number | null>();
  for (const [component, pid] of roots) components.set(component, pid === null ? null : treeTicks(pid, processes));
  return { atMs: Date.now(), machineBusyTicks: busyTicks(readFileSync('/proc/stat', 'utf8')), components };
}
