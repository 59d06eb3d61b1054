/**
 * `npx tsx bench/run.ts [filter]` (run by `npm run bench`): every in-process algorithm benchmark
 * on one core (this Node process, no worker threads) at each of its input sizes (10×, 100×,
 * 1000× a base, to show how cost grows), prints a table and writes
 * bench/results/algorithms-<timestamp>.json with the machine and the load average it ran at.
 * Inputs are generated before the timed runs. Not a test: nothing here passes or fails, it measures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gpsBenchmarks } from './algorithms/gps.js';
import { postprocessingBenchmarks } from './algorithms/postprocessing.js';
import { postprocessingStreamBenchmarks } from './algorithms/postprocessing-stream.js';
import { simulatorBenchmarks } from './algorithms/simulator.js';
import { timeseriesBenchmarks } from './algorithms/timeseries.js';
import type { AlgorithmBenchmark } from './algorithms/types.js';

const MIN_TIMED_MS = 1000;
const MIN_RUNS = 3;

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly size: number;
  readonly runs: number;
  /** Median over the timed runs, units per second of wall time. */
  readonly perS: number;
  /**
   * Median over the timed runs, units per second of this process's CPU time (all its threads,
   * the garbage collector's included): close to perS on a quiet machine, and still meaningful
   * when other processes share the cores.
   */
  readonly perCpuS: number;
  readonly targetPerS: number | null;
  /** The benchmark's own line about its output (see AlgorithmBenchmark.report). */
  readonly note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(benchmark: AlgorithmBenchmark, size: number): BenchResult {
  const run = benchmark.prepare(size);
  let output = run(); // warm-up: JIT and caches
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const started = performance.now();
  while (wallMs.length < MIN_RUNS || performance.now() - started < MIN_TIMED_MS) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    output = run();
    wallMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return {
    name: benchmark.name,
    unit: benchmark.unit,
    size,
    runs: wallMs.length,
    perS: (size / median(wallMs)) * 1000,
    perCpuS: (size / median(cpuMs)) * 1000,
    targetPerS: benchmark.targetPerS ?? null,
    ...(benchmark.report ? { note: benchmark.report(output, size, median(wallMs)) } : {}),
  };
}

const format = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function main(): void {
  const filter = process.argv[2];
  const all = [...timeseriesBenchmarks, ...gpsBenchmarks, ...postprocessingBenchmarks, ...postprocessingStreamBenchmarks, ...simulatorBenchmarks].filter((b) => !filter || b.name.includes(filter));
  const results: BenchResult[] = [];
  const loadBefore = loadAverage();
  console.log(`load average (1, 5, 15 min): ${loadBefore}`);
  const width = Math.max(...all.map((b) => b.name.length));
  console.log(`${'benchmark'.padEnd(width)} ${'size'.padStart(9)} ${'per second'.padStart(18)} ${'per CPU-second'.padStart(14)} ${'target'.padStart(9)}  runs`);
  for (const benchmark of all) {
    for (const size of benchmark.sizes) {
      const result = measure(benchmark, size);
      results.push(result);
      const target = result.targetPerS === null ? '-' : format(result.targetPerS);
      const mark = result.targetPerS === null ? '' : result.perS >= result.targetPerS ? ' ok' : ' below';
      console.log(
        `${result.name.padEnd(width)} ${String(size).padStart(9)} ${`${format(result.perS)} ${result.unit}`.padStart(18)} ${format(result.perCpuS).padStart(14)} ${target.padStart(9)}  ${result.runs}${mark}`,
      );
      if (result.note) console.log(`${''.padEnd(width)}   ${result.note}`);
    }
  }
  const loadAfter = loadAverage();
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `algorithms-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, loadAverage: { before: loadBefore, after: loadAfter }, results }, null, 2)}\n`);
  console.log(`\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; one core per benchmark`);
  console.log(`load average (1, 5, 15 min) after: ${loadAfter}; 'ok'/'below' compare the wall-clock figure with the target`);
  console.log(`results: ${file}`);
}

main();
