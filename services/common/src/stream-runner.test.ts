import { describe, expect, it } from 'vitest';
import { commitTargets } from './stream-runner.js';

const map = (entries: [string, number][]) => new Map(entries);

describe('commitTargets', () => {
  it('commits everything processed when nothing is held', () => {
    expect(commitTargets(map([['raw.sensor:0', 120]]), map([]), map([]))).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 120 }]);
  });

  it('commits only up to the oldest held record', () => {
    expect(commitTargets(map([['raw.sensor:3', 120]]), map([['raw.sensor:3', 87]]), map([]))).toEqual([
      { topic: 'raw.sensor', partition: 3, offset: 87 },
    ]);
  });

  it('skips partitions whose target was already committed', () => {
    const processed = map([
      ['raw.gps:0', 50],
      ['raw.gps:1', 70],
    ]);
    expect(commitTargets(processed, map([['raw.gps:1', 60]]), map([['raw.gps:0', 50]]))).toEqual([{ topic: 'raw.gps', partition: 1, offset: 60 }]);
  });

  it('keeps topics with dots and several partitions apart', () => {
    const processed = map([
      ['activity.segments:2', 10],
      ['gps.episodes:2', 20],
    ]);
    expect(commitTargets(processed, map([['gps.episodes:2', 15]]), map([]))).toEqual([
      { topic: 'activity.segments', partition: 2, offset: 10 },
      { topic: 'gps.episodes', partition: 2, offset: 15 },
    ]);
  });

  it('never commits past what was processed, even if a handler reports a later held offset', () => {
    expect(commitTargets(map([['raw.sensor:0', 5]]), map([['raw.sensor:0', 9]]), map([]))).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 5 }]);
  });
});
