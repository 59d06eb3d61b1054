import { describe, expect, it } from 'vitest';
import { UNSEEN_SCENARIOS } from './evaluate-unseen.js';
import { simulatedTrainingSamples, TRAINING_SCENARIOS } from './train-simulated.js';

describe('simulatedTrainingSamples', () => {
  it('labels every scenario × seed with the truth under ids that never collide', () => {
    const samples = simulatedTrainingSamples({ scenarios: ['reference', 'summer'], seeds: [101, 102], participants: 2, days: 1, timeZone: 'Europe/Paris' });
    const ids = [...new Set(samples.map((s) => s.participantId))].sort();
    expect(ids).toEqual([
      'reference-s101-sim-001', 'reference-s101-sim-002', 'reference-s102-sim-001', 'reference-s102-sim-002',
      'summer-s101-sim-001', 'summer-s101-sim-002', 'summer-s102-sim-001', 'summer-s102-sim-002',
    ]);
    // A July day and a January day: the summer scenario starts in July.
    expect(new Date(samples.find((s) => s.participantId.startsWith('summer'))!.segmentStartMs).getUTCMonth()).toBe(6);
    expect(new Date(samples.find((s) => s.participantId.startsWith('reference'))!.segmentStartMs).getUTCMonth()).toBe(0);
    expect(samples.every((s) => s.context.length === 6 && s.features.length === 7)).toBe(true);
  });

  it('offers evaluate --unseen\'s scenarios and others: a summer weekend (Saturday), April and October weekdays (Monday)', () => {
    expect(TRAINING_SCENARIOS.slice(0, UNSEEN_SCENARIOS.length)).toEqual(UNSEEN_SCENARIOS);
    const day = (name: string) => new Date(`${TRAINING_SCENARIOS.find((s) => s.name === name)!.startDate}T12:00:00Z`).getUTCDay();
    expect([day('summer-weekend'), day('spring'), day('autumn')]).toEqual([6, 1, 1]);
    const weekend = simulatedTrainingSamples({ scenarios: ['summer-weekend'], seeds: [101], participants: 2, days: 3, timeZone: 'Europe/Paris' });
    // Paris is UTC+2 in July.
    expect(new Set(weekend.map((s) => new Date(s.segmentStartMs + 7_200_000).getUTCDay()))).toEqual(new Set([6, 0]));
  });

  it('refuses an unknown scenario, naming the option', () => {
    expect(() => simulatedTrainingSamples({ scenarios: ['winter'], seeds: [1], participants: 2, days: 1, timeZone: 'Europe/Paris' })).toThrow(/--simulate.*winter/s);
  });
});
