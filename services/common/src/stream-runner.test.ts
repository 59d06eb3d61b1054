import { describe, expect, it } from 'vitest';
import { commitTargets, processedUpToMetadata, replayedUpTo, splitAtOffset, topicNaming, type CommitPoint } from './stream-runner.js';

const map = (entries: [string, number][]) => new Map(entries);

describe('commitTargets', () => {
  const point = (offset: number, processedUpTo: number): CommitPoint => ({ offset, processedUpTo });
  const none = new Map<string, CommitPoint>();

  it('commits everything processed when nothing is held', () => {
    expect(commitTargets(map([['raw.sensor:0', 120]]), map([]), none)).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 120, processedUpTo: 120 }]);
  });

  it('commits only up to the oldest held record, saying how far processing went', () => {
    expect(commitTargets(map([['raw.sensor:3', 120]]), map([['raw.sensor:3', 87]]), none)).toEqual([
      { topic: 'raw.sensor', partition: 3, offset: 87, processedUpTo: 120 },
    ]);
  });

  it('skips partitions whose offset and progress were already committed, not those that progressed', () => {
    const processed = map([
      ['raw.gps:0', 50],
      ['raw.gps:1', 70],
      ['raw.gps:2', 90],
    ]);
    const committed = new Map([
      ['raw.gps:0', point(50, 50)],
      ['raw.gps:2', point(40, 80)],
    ]);
    expect(commitTargets(processed, map([['raw.gps:1', 60], ['raw.gps:2', 40]]), committed)).toEqual([
      { topic: 'raw.gps', partition: 1, offset: 60, processedUpTo: 70 },
      { topic: 'raw.gps', partition: 2, offset: 40, processedUpTo: 90 },
    ]);
  });

  it('keeps topics with dots and several partitions apart', () => {
    const processed = map([
      ['activity.segments:2', 10],
      ['gps.episodes:2', 20],
    ]);
    expect(commitTargets(processed, map([['gps.episodes:2', 15]]), none)).toEqual([
      { topic: 'activity.segments', partition: 2, offset: 10, processedUpTo: 10 },
      { topic: 'gps.episodes', partition: 2, offset: 15, processedUpTo: 20 },
    ]);
  });

  it('never commits past what was processed, even if a handler reports a later held offset', () => {
    expect(commitTargets(map([['raw.sensor:0', 5]]), map([['raw.sensor:0', 9]]), none)).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 5, processedUpTo: 5 }]);
  });
});

describe('replay points', () => {
  it('round-trips how far processing went through the commit metadata', () => {
    expect(replayedUpTo(processedUpToMetadata(1234))).toBe(1234);
  });

  it('knows nothing from empty or foreign metadata', () => {
    expect(replayedUpTo(null)).toBeNull();
    expect(replayedUpTo('')).toBeNull();
    expect(replayedUpTo('something else')).toBeNull();
    expect(replayedUpTo('processed-up-to=x')).toBeNull();
  });

  it('splits a batch into the records re-read (below the point) and the new ones', () => {
    const batch = [{ offset: '8' }, { offset: '9' }, { offset: '10' }, { offset: '11' }];
    expect(splitAtOffset(batch, 10)).toEqual([[{ offset: '8' }, { offset: '9' }], [{ offset: '10' }, { offset: '11' }]]);
    expect(splitAtOffset(batch, 8)).toEqual([[], batch]);
    expect(splitAtOffset(batch, 12)).toEqual([batch, []]);
    expect(splitAtOffset(batch, undefined)).toEqual([[], batch]);
  });
});

describe('topicNaming', () => {
  it('leaves names alone without a prefix', () => {
    const naming = topicNaming('');
    expect(naming.toKafka('raw.sensor')).toBe('raw.sensor');
    expect(naming.fromKafka('raw.sensor')).toBe('raw.sensor');
  });

  it('puts the prefix before Kafka names and takes it off for the handler', () => {
    const naming = topicNaming('bench-1.');
    expect(naming.toKafka('sensor.clean')).toBe('bench-1.sensor.clean');
    expect(naming.fromKafka('bench-1.raw.sensor')).toBe('raw.sensor');
  });

  it('refuses a Kafka topic without the prefix rather than hand the handler a wrong name', () => {
    expect(() => topicNaming('bench-1.').fromKafka('raw.sensor')).toThrow(/prefix/);
  });
});
