/** The pure part of a fault campaign (campaign.ts): which seeds, which cases are left, the summary table. */

export interface CaseResult {
  readonly fault: string;
  readonly seed: number;
  readonly passed: boolean;
  /** From the first insert to the drained warehouse, s. */
  readonly drainS: number;
  readonly detail: string;
  /** When the case ended (ISO 8601); absent in results written before campaigns were resumable. */
  readonly endedAt?: string;
}

/** What a results file holds: the code it ran on, its seeds and every case run so far. */
export interface CampaignFile {
  readonly fingerprint: string;
  /** `git rev-parse HEAD` when the campaign started; `dirty` if fingerprinted files differed from it. */
  readonly commit: string;
  readonly firstSeed: number;
  readonly runs: number;
  readonly seeds: readonly number[];
  readonly results: readonly CaseResult[];
}

/**
 * The seeds of a campaign of `runs` seeds per fault: from `requestedFirstSeed`, or the file's, or a
 * random one. A file of other code, or of another first seed, is refused with the reason.
 */
export function campaignPlan(
  prior: CampaignFile | undefined,
  current: { fingerprint: string; runs: number; requestedFirstSeed?: number; randomSeed: number },
  fileName = 'the results file',
): { firstSeed: number; seeds: number[]; results: CaseResult[] } {
  if (prior !== undefined && prior.fingerprint !== current.fingerprint) {
    throw new Error(
      `${fileName} holds a campaign of other code (commit ${prior.commit}, fingerprint ${prior.fingerprint.slice(0, 12)}; ` +
        `this checkout: ${current.fingerprint.slice(0, 12)}): name a new file to start a campaign of this code`,
    );
  }
  if (prior !== undefined && current.requestedFirstSeed !== undefined && current.requestedFirstSeed !== prior.firstSeed) {
    throw new Error(`${fileName} holds a campaign from seed ${prior.firstSeed}, not ${current.requestedFirstSeed}: leave out the seed to go on with it`);
  }
  const firstSeed = prior?.firstSeed ?? current.requestedFirstSeed ?? current.randomSeed;
  return { firstSeed, seeds: Array.from({ length: current.runs }, (_, i) => firstSeed + i), results: [...(prior?.results ?? [])] };
}

/**
 * The cases still to run, seed by seed (every fault with the first seed, then every fault with the
 * second, …), so a campaign stopped part-way has the same number of seeds for every fault.
 */
export function pendingCases<F extends { readonly name: string }>(faults: readonly F[], seeds: readonly number[], done: readonly CaseResult[]): Array<readonly [string, number, F]> {
  const ran = new Set(done.map((r) => `${r.fault}\u0000${r.seed}`));
  return seeds.flatMap((seed) => faults.filter((f) => !ran.has(`${f.name}\u0000${seed}`)).map((f) => [f.name, seed, f] as const));
}

const range = (values: readonly number[]) =>
  values.length === 0 ? '-' : `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} s (median ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0)})`;

/** A violation's headline without participant and count: `002: kept fixes missing from gps_clean: 6` → `kept fixes missing from gps_clean`. */
const violationKind = (headline: string) => headline.replace(/^\d+: /, '').replace(/: \d+$/, '');

/** Per fault: passes, failures, the seeds (failing ones marked) and the drain times, as a Markdown table. */
export function summaryTable(all: readonly CaseResult[]): string {
  const faults = [...new Set(all.map((r) => r.fault))];
  const lines = ['| fault | passed | failed | seeds (✗ failed) | drained in | violations seen |', '|---|---:|---:|---|---|---|'];
  for (const fault of faults) {
    const own = all.filter((r) => r.fault === fault);
    const seeds = own.map((r) => `${r.seed}${r.passed ? '' : ' ✗'}`).join(', ');
    const kinds = new Set(own.filter((r) => !r.passed).flatMap((r) => r.detail.split('; ').map(violationKind)));
    lines.push(`| ${fault} | ${own.filter((r) => r.passed).length} | ${own.filter((r) => !r.passed).length} | ${seeds} | ${range(own.map((r) => r.drainS).filter(Number.isFinite))} | ${[...kinds].join('; ')} |`);
  }
  return lines.join('\n');
}

