import { describe, expect, it } from 'vitest';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { PipelineError } from './errors.js';
import {
  afterHandlerFailure,
  backoffMs,
  commitTargets,
  partitionLag,
  processedUpToMetadata,
  replayedUpTo,
  splitAtOffset,
  topicNaming,
  transientReason,
  type CommitPoint,
} from './stream-runner.js';

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

describe('afterHandlerFailure', () => {
  it('retries a batch the handler throws on until it has failed 3 times in all, then isolates its records', () => {
    expect([1, 2, 3, 4].map((failures) => afterHandlerFailure(failures, 3, false))).toEqual(['retry', 'retry', 'isolate', 'isolate']);
  });

  it('dead-letters the record the handler throws on when processed alone', () => {
    expect(afterHandlerFailure(4, 3, true)).toBe('dead-letter');
    expect(afterHandlerFailure(1, 3, true)).toBe('dead-letter');
  });

  it('follows the configured number of tries', () => {
    expect(afterHandlerFailure(1, 1, false)).toBe('isolate');
    expect([1, 4, 5].map((failures) => afterHandlerFailure(failures, 5, false))).toEqual(['retry', 'retry', 'isolate']);
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('partitionLag', () => {
  it('counts from the next offset to process', () => {
    expect(partitionLag(120, { processedUpTo: 100, committed: 80 })).toBe(20);
  });

  it('grows with the end offset while the member is stalled', () => {
    expect(partitionLag(150, { processedUpTo: 100 })).toBe(50);
  });

  it('counts from the committed offset, or the start of the partition, before anything is processed', () => {
    expect(partitionLag(120, { committed: 80, start: 10 })).toBe(40);
    expect(partitionLag(120, { committed: -1, start: 10 })).toBe(110);
    expect(partitionLag(120, {})).toBe(120);
  });

  it('is never negative', () => {
    expect(partitionLag(5, { processedUpTo: 9 })).toBe(0);
  });
});

describe('transientReason', () => {
  it('names what is failing from the error\'s class', () => {
    expect(transientReason(new PipelineError('REGISTRY_UNAVAILABLE', 'schema registry unreachable: timeout'))).toBe('schema registry unreachable: timeout');
    expect(transientReason(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe('kafka: Connection error: connect ECONNREFUSED');
    expect(transientReason(new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 1000 }))).toMatch(/^kafka: /);
    expect(transientReason(new TypeError('fetch failed'))).toBe('TypeError: fetch failed');
  });
});
