import { describe, expect, it } from 'vitest';
import { defaultReviewBudgetParams, defaultReviewCandidateParams } from '@polluscope/common/domain';
import { defaultTimeOfDayRulesParams } from '@polluscope/classification-validation/domain';
import { readModel } from './sensors.js';
import { readTransportModel } from './gps.js';
import { DEFAULT_TRANSPORT_MODEL_PATH, formatUnseen, scoreScenario, UNSEEN_SCENARIOS, type UnseenParams } from './evaluate-unseen.js';
import { DEFAULT_MODEL_PATH } from './sensors.js';
import { SETTING_NAMES } from '../simulator/index.js';

const params: UnseenParams = {
  participants: 3,
  days: 1,
  seed: 7,
  gpsRateHz: 1,
  folds: 3,
  trainingSeed: 42,
  timeZone: 'Europe/Paris',
  bootstrap: { resamples: 20, seed: 1, level: 0.95 },
  rules: defaultTimeOfDayRulesParams,
  candidate: defaultReviewCandidateParams,
  budget: defaultReviewBudgetParams,
};

describe('UNSEEN_SCENARIOS', () => {
  it('has the reference, every setting alone, the weekend, and all together', () => {
    const names = UNSEEN_SCENARIOS.map((s) => s.name);
    for (const setting of SETTING_NAMES) expect(names).toContain(setting);
    expect(names).toContain('reference');
    expect(names).toContain('weekend');
    expect(UNSEEN_SCENARIOS.find((s) => s.name === 'all')!.settings).toEqual(SETTING_NAMES);
    // The weekend scenario starts on a Saturday.
    expect(new Date(`${UNSEEN_SCENARIOS.find((s) => s.name === 'weekend')!.startDate}T12:00:00Z`).getUTCDay()).toBe(6);
  });
});

describe('scoreScenario and formatUnseen', () => {
  it('scores the shipped models and the baselines on a small simulated scenario and prints them', async () => {
    const activity = await readModel(DEFAULT_MODEL_PATH);
    const transport = await readTransportModel(DEFAULT_TRANSPORT_MODEL_PATH);
    const scores = scoreScenario(UNSEEN_SCENARIOS[0]!, params, activity, transport);
    expect(scores.participants).toBe(3);
    expect(scores.segments).toBeGreaterThan(3 * 150);
    expect(scores.moves).toBeGreaterThan(0);
    for (const m of ['majority', 'clock', 'pretrained', 'pretrained-rules'] as const) {
      const a = scores.activity[m]!.figures['accuracy']!;
      expect(a.low).toBeLessThanOrEqual(a.estimate);
      expect(a.high).toBeGreaterThanOrEqual(a.estimate);
    }
    expect(scores.activity['pretrained-rules']!.figures['accuracy']!.estimate).toBeGreaterThan(scores.activity.majority!.figures['accuracy']!.estimate);
    expect(scores.review!.share).toBeLessThanOrEqual(0.05);
    const text = formatUnseen([scores], params, { activity: 'a.json', transport: 't.json' });
    expect(text).toMatch(/^reference +\d+ majority +0\.\d{3} \[/m);
    expect(text).toMatch(/^ +pretrained-rules +0\.\d{3} \[/m);
    expect(text).toContain('transport model confusion per scenario');
    expect(text).toMatch(/^reference +\d+ +\d+\.\d % +/m);
  });
});
