/**
 * Seeds and results of the fault suite. CI runs one seeded case per fault; a campaign
 * (`FAULT_CAMPAIGN=N`, or `npm run test:faults -- --campaign N`) runs each fault with N seeds.
 * `FAULT_SEED=s` fixes the first seed (seeds s, s+1, …), to replay a failing case.
 *
 * A campaign of N ≥ 20 takes hours of the stack alone, longer than one sitting, so it can keep its
 * results in a file (`FAULT_RESULTS`, or `--results FILE`): each case is written there as soon as it
 * ends, and running the same command again runs only the cases the file does not hold yet. The file
 * names the code it was run on (a fingerprint of every tracked file but the docs), and a run of
 * other code refuses to add to it, so a campaign's figures never mix two versions of the pipeline.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { mulberry32 } from '@polluscope/common';
import { campaignPlan, pendingCases, summaryTable, type CampaignFile, type CaseResult } from './campaign-plan.js';

export type { CaseResult } from './campaign-plan.js';

export type Random = () => number;

/** A deterministic pseudo-random sequence for `seed` and `label` (mixed into the seed), so a case can be replayed. */
export function seededRandom(seed: number, label = ''): Random {
  let mixed = seed >>> 0;
  for (const ch of label) mixed = Math.imul(mixed ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return mulberry32(mixed);
}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return n;
}

const repositoryRoot = resolve(import.meta.dirname, '../..');
/** Files that do not change what a fault run does: prose, benchmarks and the results files themselves. */
const outsideFingerprint = (path: string) => path.endsWith('.md') || path.startsWith('docs/') || path.startsWith('bench/') || path.startsWith('tests/faults/campaigns/');

/** SHA-256 over the path and content of every tracked file that can change a run, as they are on disk. */
function codeFingerprint(): { fingerprint: string; commit: string } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  const files = git('ls-files', '-z').split('\0').filter((f) => f !== '' && !outsideFingerprint(f) && existsSync(join(repositoryRoot, f))).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(repositoryRoot, file))).update('\0');
  const dirty = git('status', '--porcelain', '--', ...files).trim() !== '';
  return { fingerprint: hash.digest('hex'), commit: `${git('rev-parse', '--short', 'HEAD').trim()}${dirty ? '-dirty' : ''}` };
}

function readCampaignFile(file: string): CampaignFile | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CampaignFile>;
  if (typeof parsed.fingerprint !== 'string' || typeof parsed.firstSeed !== 'number' || !Array.isArray(parsed.results)) {
    throw new Error(`${file} is not a fault campaign's results file (it needs fingerprint, firstSeed and results)`);
  }
  return parsed as CampaignFile;
}

export const campaignRuns = Math.max(1, positiveInteger('FAULT_CAMPAIGN', process.env.FAULT_CAMPAIGN) ?? 1);
const resultsFile = process.env.FAULT_RESULTS ? resolve(process.env.FAULT_RESULTS) : undefined;
/**
 * Without a results file nothing is checked against the fingerprint: the commit alone labels the
 * summary (no hashing at start), and a checkout git cannot read still runs the suite.
 */
function labelOnly(): { fingerprint: string; commit: string } {
  try {
    return { fingerprint: 'not computed', commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim() };
  } catch (err) {
    console.log(`[faults] no commit to label the summary with (${(err as Error).message.split('\n')[0]})`);
    return { fingerprint: 'not computed', commit: 'unknown commit' };
  }
}
const code = resultsFile === undefined ? labelOnly() : codeFingerprint();
const plan = campaignPlan(
  resultsFile === undefined ? undefined : readCampaignFile(resultsFile),
  { fingerprint: code.fingerprint, runs: campaignRuns, requestedFirstSeed: positiveInteger('FAULT_SEED', process.env.FAULT_SEED), randomSeed: Math.floor(Math.random() * 1e6) },
  resultsFile === undefined ? undefined : relative(process.cwd(), resultsFile),
);
export const campaignSeeds: readonly number[] = plan.seeds;
const results: CaseResult[] = plan.results;
/** The cases of this run: those the results file does not hold yet, seed by seed. */
export const casesToRun = <F extends { readonly name: string }>(faults: readonly F[]) => pendingCases(faults, campaignSeeds, results);

function save(file: string): void {
  const content: CampaignFile = { fingerprint: code.fingerprint, commit: code.commit, firstSeed: plan.firstSeed, runs: campaignRuns, seeds: campaignSeeds, results };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
}

export function recordResult(result: Omit<CaseResult, 'endedAt'>): void {
  results.push({ ...result, endedAt: new Date().toISOString() });
  if (resultsFile !== undefined) save(resultsFile);
  console.log(`[faults] ${result.passed ? 'PASS' : 'FAIL'} ${result.fault} (seed ${result.seed}): ${result.drainS.toFixed(0)} s; ${result.detail}`);
}

/** The summary of every case so far (the file's earlier ones included); written as JSON. */
export function summary(): string {
  const file = resultsFile ?? join(tmpdir(), `polluscope-faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  save(file);
  const passed = results.filter((r) => r.passed).length;
  const seeds = campaignSeeds.length > 3 ? `${campaignSeeds[0]}–${campaignSeeds.at(-1)}` : campaignSeeds.join(', ');
  return `fault suite on ${code.commit}: ${passed} of ${results.length} cases passed, ${campaignRuns} seed(s) per fault (${seeds})\n${summaryTable(results)}\nresults: ${file}`;
}
