/**
 * `npm run bench`: runs every in-process algorithm benchmark on one core (this Node process),
 * prints a table and writes bench/results/<timestamp>.json with the machine it ran on.
 * Not a test: nothing here passes or fails, it measures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gpsBenchmarks } from './algorithms/gps.js';
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
  /** Median over the timed runs, units per second. */
  readonly perS: number;
  readonly targetPerS: number | null;
}

function measure(benchmark: AlgorithmBenchmark, size: number): BenchResult {
  const run = benchmark.prepare(size);
  run(); // warm-up: JIT and caches
  const times: number[] = [];
  const started = performance.now();
  while (times.length < MIN_RUNS || performance.now() - started < MIN_TIMED_MS) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  return { name: benchmark.name, unit: benchmark.unit, size, runs: times.length, perS: (size / median) * 1000, targetPerS: benchmark.targetPerS ?? null };
}

const format = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));

function main(): void {
  const filter = process.argv[2];
  const all = [...timeseriesBenchmarks, ...gpsBenchmarks, ...simulatorBenchmarks].filter((b) => !filter || b.name.includes(filter));
  const results: BenchResult[] = [];
  console.log(`${'benchmark'.padEnd(42)} ${'size'.padStart(10)} ${'per second'.padStart(12)} ${'target'.padStart(10)}  runs`);
  for (const benchmark of all) {
    for (const size of benchmark.sizes) {
      const result = measure(benchmark, size);
      results.push(result);
      const target = result.targetPerS === null ? '-' : format(result.targetPerS);
      const mark = result.targetPerS === null ? '' : result.perS >= result.targetPerS ? ' ok' : ' below';
      console.log(
        `${result.name.padEnd(42)} ${String(size).padStart(10)} ${`${format(result.perS)} ${result.unit}`.padStart(12)} ${target.padStart(10)}  ${result.runs}${mark}`,
      );
    }
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `algorithms-${new Date().toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);
  console.log(`\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; one core per benchmark`);
  console.log(`results: ${file}`);
}

main();
