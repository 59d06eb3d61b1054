/**
 * Seeds and results of the fault suite. CI runs one seeded case per fault; a campaign
 * (`FAULT_CAMPAIGN=N`, or `npm run test:faults -- --campaign N`) runs each fault with N seeds.
 * `FAULT_SEED=s` fixes the first seed (seeds s, s+1, …), to replay a failing case.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@polluscope/common';

export type Random = () => number;

/** A deterministic pseudo-random sequence for `seed` and `label` (mixed into the seed), so a case can be replayed. */
export function seededRandom(seed: number, label = ''): Random {
  let mixed = seed >>> 0;
  for (const ch of label) mixed = Math.imul(mixed ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return mulberry32(mixed);
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return n;
}

export const campaignRuns = Math.max(1, positiveInteger('FAULT_CAMPAIGN', process.env.FAULT_CAMPAIGN, 1));
const firstSeed = positiveInteger('FAULT_SEED', process.env.FAULT_SEED, Math.floor(Math.random() * 1e6));
export const campaignSeeds: readonly number[] = Array.from({ length: campaignRuns }, (_, i) => firstSeed + i);

export interface CaseResult {
  readonly fault: string;
  readonly seed: number;
  readonly passed: boolean;
  /** From the first insert to the drained warehouse, s. */
  readonly drainS: number;
  readonly detail: string;
}

const results: CaseResult[] = [];

export function recordResult(result: CaseResult): void {
  results.push(result);
  console.log(`[faults] ${result.passed ? 'PASS' : 'FAIL'} ${result.fault} (seed ${result.seed}): ${result.drainS.toFixed(0)} s; ${result.detail}`);
}

const range = (values: readonly number[]) =>
  values.length === 0 ? '-' : `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} s (median ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0)})`;

/** A violation's headline without participant and count: `002: kept fixes missing from gps_clean: 6` → `kept fixes missing from gps_clean`. */
const violationKind = (headline: string) => headline.replace(/^\d+: /, '').replace(/: \d+$/, '');

/** Per fault: passes, failures, the seeds (failing ones marked) and the drain times; also written as JSON. */
export function summary(): string {
  const faults = [...new Set(results.map((r) => r.fault))];
  const lines = ['| fault | passed | failed | seeds (✗ failed) | drained in | violations seen |', '|---|---:|---:|---|---|---|'];
  for (const fault of faults) {
    const own = results.filter((r) => r.fault === fault);
    const seeds = own.map((r) => `${r.seed}${r.passed ? '' : ' ✗'}`).join(', ');
    const kinds = new Set(own.filter((r) => !r.passed).flatMap((r) => r.detail.split('; ').map(violationKind)));
    lines.push(`| ${fault} | ${own.filter((r) => r.passed).length} | ${own.filter((r) => !r.passed).length} | ${seeds} | ${range(own.map((r) => r.drainS).filter(Number.isFinite))} | ${[...kinds].join('; ')} |`);
  }
  const file = join(tmpdir(), `polluscope-faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ runs: campaignRuns, seeds: campaignSeeds, results }, null, 2)}\n`);
  const passed = results.filter((r) => r.passed).length;
  return `fault suite: ${passed} of ${results.length} cases passed, ${campaignRuns} seed(s) per fault (${campaignSeeds.join(', ')})\n${lines.join('\n')}\nresults: ${file}`;
}
