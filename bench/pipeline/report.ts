/**
 * What the pipeline benchmarks share: the machine they ran on (with the load average, since the
 * machine may be shared), a results file under bench/results/, and number formatting.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  /** 1, 5 and 15-minute load averages when the measurement started. */
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverage.join(', ')} at the start`;
}

/** Writes bench/results/<kind>-<date>.json and returns its path. */
export function writeResults(kind: string, body: Record<string, unknown>): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = join(dir, `${kind}-${date.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date, loadAverageAtEnd: machine().loadAverage, ...body }, null, 2)}\n`);
  return file;
}

export const formatCount = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));

/** Nearest-rank percentile of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Time at which the share of the expected rows first reached `share`, linearly between polls. */
export function timeAtShare(points: readonly { atMs: number; share: number }[], share: number): number | null {
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as { atMs: number; share: number };
    if (p.share >= share) {
      const q = points[i - 1];
      if (!q || p.share === q.share) return p.atMs;
      return q.atMs + ((share - q.share) / (p.share - q.share)) * (p.atMs - q.atMs);
    }
  }
  return null;
}

/** One line of a table printed as it is measured: first cell left-aligned, the others right-aligned, fixed widths. */
export function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

/** A whole table: the header, then the rows, each column as wide as its widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [tableLine(header, widths), ...rows.map((r) => tableLine(r, widths))].join('\n');
}
