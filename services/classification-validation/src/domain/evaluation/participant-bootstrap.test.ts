import { describe, expect, it } from 'vitest';
import { participantBootstrap } from './participant-bootstrap.js';

/** Each participant: [right, segments]; the figure is pooled accuracy. */
type Tally = readonly [right: number, segments: number];
const add = (parts: readonly Tally[]): Tally => [parts.reduce((a, p) => a + p[0], 0), parts.reduce((a, p) => a + p[1], 0)];
const accuracy = (t: Tally) => ({ accuracy: t[0] / t[1] });

describe('participantBootstrap', () => {
  it('gives the estimate as its own interval for one participant', () => {
    expect(participantBootstrap([[3, 4]], add, accuracy, { resamples: 50, seed: 1, level: 0.95 })).toEqual({
      accuracy: { estimate: 0.75, low: 0.75, high: 0.75, resamples: 50 },
    });
  });

  it('spans 0 to 1 for one participant always right and one always wrong', () => {
    // Resamples are {right, right}, {right, wrong} or {wrong, wrong}: 1, 0.5 or 0, each end with
    // chance 1/4, so with 400 resamples both ends are beyond the 2.5 % tails.
    const result = participantBootstrap<Tally>([[10, 10], [0, 10]], add, accuracy, { resamples: 400, seed: 7, level: 0.95 });
    expect(result['accuracy']).toEqual({ estimate: 0.5, low: 0, high: 1, resamples: 400 });
  });

  it('is the same for the same seed and differs for another', () => {
    const people: Tally[] = [[9, 10], [5, 10], [7, 10], [2, 10], [10, 10]];
    const params = { resamples: 200, seed: 12345, level: 0.9 };
    const once = participantBootstrap(people, add, accuracy, params);
    expect(participantBootstrap(people, add, accuracy, params)).toEqual(once);
    expect(once['accuracy']!.estimate).toBeCloseTo(0.66, 12);
    expect(once['accuracy']!.low).toBeLessThan(0.66);
    expect(once['accuracy']!.high).toBeGreaterThan(0.66);
    expect(participantBootstrap(people, add, accuracy, { ...params, seed: 54321 })).not.toEqual(once);
  });

  it('leaves a figure out of the resamples where it does not exist', () => {
    // Only the second participant has label B; its F1 exists only in resamples that draw them.
    const figures = (ids: readonly string[]): Record<string, number> => (ids.includes('b') ? { f1_B: 1, n: ids.length } : { n: ids.length });
    const result = participantBootstrap([['a'], ['b']], (parts) => parts.flat(), figures, { resamples: 100, seed: 3, level: 0.95 });
    expect(result['f1_B']!.resamples).toBeGreaterThan(50);
    expect(result['f1_B']!.resamples).toBeLessThan(100);
    expect(result['n']!.resamples).toBe(100);
  });
});
