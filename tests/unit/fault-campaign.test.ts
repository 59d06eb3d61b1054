import { describe, expect, it } from 'vitest';
import { campaignPlan, pendingCases, summaryTable, type CampaignFile, type CaseResult } from '../faults/campaign-plan.js';

const result = (fault: string, seed: number, passed = true, drainS = 60): CaseResult => ({ fault, seed, passed, drainS, detail: passed ? 'ok' : '002: kept fixes missing from gps_clean: 6' });
const file = (over: Partial<CampaignFile> = {}): CampaignFile => ({ fingerprint: 'aaa', commit: 'abc1234', firstSeed: 100, runs: 3, seeds: [100, 101, 102], results: [], ...over });
const faults = [{ name: 'kill -9 broker' }, { name: 'SIGTERM postprocessing' }];

describe('fault campaign plan', () => {
  it('starts from the requested seed, or a random one, without a results file', () => {
    expect(campaignPlan(undefined, { fingerprint: 'aaa', runs: 3, requestedFirstSeed: 7, randomSeed: 99 }).seeds).toEqual([7, 8, 9]);
    expect(campaignPlan(undefined, { fingerprint: 'aaa', runs: 2, randomSeed: 99 }).seeds).toEqual([99, 100]);
  });

  it("goes on from the file's seeds and results, and may extend the number of seeds", () => {
    const prior = file({ results: [result('kill -9 broker', 100)] });
    const plan = campaignPlan(prior, { fingerprint: 'aaa', runs: 4, randomSeed: 5 });
    expect(plan.seeds).toEqual([100, 101, 102, 103]);
    expect(plan.results).toEqual(prior.results);
  });

  it('refuses a file of other code, or another first seed, naming the file', () => {
    expect(() => campaignPlan(file(), { fingerprint: 'bbb', runs: 3, randomSeed: 5 }, 'c.json')).toThrow(/c\.json holds a campaign of other code \(commit abc1234/);
    expect(() => campaignPlan(file(), { fingerprint: 'aaa', runs: 3, requestedFirstSeed: 7, randomSeed: 5 }, 'c.json')).toThrow(/from seed 100, not 7/);
  });

  it('leaves out the cases already run and orders the rest seed by seed', () => {
    const cases = pendingCases(faults, [100, 101], [result('kill -9 broker', 100)]);
    expect(cases.map(([name, seed]) => `${name}@${seed}`)).toEqual(['SIGTERM postprocessing@100', 'kill -9 broker@101', 'SIGTERM postprocessing@101']);
  });

  it('summarises passes, failures, failing seeds and drain times per fault', () => {
    const table = summaryTable([result('kill -9 broker', 100, true, 50), result('kill -9 broker', 101, false, 90), result('kill -9 broker', 102, true, 70)]);
    expect(table.split('\n')[2]).toBe('| kill -9 broker | 2 | 1 | 100, 101 ✗, 102 | 50–90 s (median 70) | kept fixes missing from gps_clean |');
  });
});
