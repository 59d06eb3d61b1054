import { describe, expect, it } from 'vitest';
import { busyTicks, cpuBetween, parseProcStat, treeTicks, type ProcessTicks } from '../../bench/pipeline/process-cpu.js';

/** A /proc/<pid>/stat line with the given utime, stime, cutime and cstime (fields 14–17). */
const statLine = (pid: number, comm: string, ppid: number, utime: number, stime: number, cutime: number, cstime: number) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 12345 1000000 500 18446744073709551615\n`;

const tree = (...processes: ProcessTicks[]) => new Map(processes.map((p) => [p.pid, p]));

describe('parseProcStat', () => {
  it('reads ppid and the four CPU fields', () => {
    expect(parseProcStat(statLine(812, 'postgres', 1, 250, 40, 7, 3))).toEqual({ pid: 812, ppid: 1, own: 290, reapedChildren: 10 });
  });

  it('counts fields from the last parenthesis: a command name with spaces and a ")" in it', () => {
    expect(parseProcStat(statLine(90, 'node (svc) x', 12, 5, 6, 0, 1))).toEqual({ pid: 90, ppid: 12, own: 11, reapedChildren: 1 });
  });

  it('refuses a line it cannot read, naming it', () => {
    expect(() => parseProcStat('90 (node) S')).toThrow(/unreadable \/proc stat line: 90 \(node\) S/);
  });
});

describe('treeTicks', () => {
  const processes = tree(
    { pid: 100, ppid: 1, own: 50, reapedChildren: 30 }, // postmaster: 30 from backends that ended
    { pid: 101, ppid: 100, own: 20, reapedChildren: 0 }, // a live backend
    { pid: 102, ppid: 101, own: 5, reapedChildren: 0 }, // its child
    { pid: 200, ppid: 1, own: 999, reapedChildren: 0 }, // another component
  );

  it('adds the live descendants and what the tree has reaped, nothing outside it', () => {
    expect(treeTicks(100, processes)).toBe(50 + 30 + 20 + 5);
    expect(treeTicks(101, processes)).toBe(25);
  });

  it('is null for a process that is not running', () => {
    expect(treeTicks(300, processes)).toBeNull();
  });
});

describe('busyTicks', () => {
  it('sums user, nice, system, irq, softirq and steal, not idle or iowait', () => {
    expect(busyTicks('cpu  100 2 30 5000 40 6 7 8 0 0\ncpu0 50 1 15 2500 20 3 3 4 0 0\n')).toBe(100 + 2 + 30 + 6 + 7 + 8);
  });
});

describe('cpuBetween', () => {
  it('gives each component its seconds, the rest of the machine as other, and null for a restart', () => {
    const before = { atMs: 0, machineBusyTicks: 1_000, components: new Map([['kafka', 500], ['warehouse', 200], ['connect', 900]]) };
    const after = { atMs: 10_000, machineBusyTicks: 2_000, components: new Map([['kafka', 800], ['warehouse', 450], ['connect', 40]]) };
    const result = cpuBetween(before, after, 100);
    expect(result.components).toEqual([
      { component: 'kafka', cpuSeconds: 3 },
      { component: 'warehouse', cpuSeconds: 2.5 },
      { component: 'connect', cpuSeconds: null },
    ]);
    expect(result.machineSeconds).toBe(10);
    expect(result.otherSeconds).toBe(4.5);
  });
});
