import { afterEach, describe, expect, it, vi } from 'vitest';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { PipelineError } from './errors.js';
import {
  RetrySchedule,
  afterHandlerFailure,
  backoffMs,
  commitMetadata,
  commitTargets,
  mayProduce,
  parseCommitMetadata,
  partitionLag,
  processedUpToMetadata,
  replayedUpTo,
  splitAtOffset,
  topicNaming,
  transientReason,
  type CommitPoint,
} from './stream-runner.js';

const map = (entries: (readonly [string, number])[]) => new Map(entries);

describe('commitTargets', () => {
  const point = (offset: number, processedUpTo: number): CommitPoint => ({ offset, processedUpTo });
  const none = new Map<string, CommitPoint>();

  it('commits everything processed when nothing is held', () => {
    expect(commitTargets(map([['raw.sensor:0', 120]]), map([]), none)).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 120, processedUpTo: 120, held: null, metadata: 'processed-up-to=120' }]);
  });

  it('commits only up to the oldest held record, saying how far processing went', () => {
    expect(commitTargets(map([['raw.sensor:3', 120]]), map([['raw.sensor:3', 87]]), none)).toEqual([
      { topic: 'raw.sensor', partition: 3, offset: 87, processedUpTo: 120, held: null, metadata: 'processed-up-to=120' },
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
      { topic: 'raw.gps', partition: 1, offset: 60, processedUpTo: 70, held: null, metadata: 'processed-up-to=70' },
      { topic: 'raw.gps', partition: 2, offset: 40, processedUpTo: 90, held: null, metadata: 'processed-up-to=90' },
    ]);
  });

  it('keeps topics with dots and several partitions apart', () => {
    const processed = map([
      ['activity.segments:2', 10],
      ['gps.episodes:2', 20],
    ]);
    expect(commitTargets(processed, map([['gps.episodes:2', 15]]), none)).toEqual([
      { topic: 'activity.segments', partition: 2, offset: 10, processedUpTo: 10, held: null, metadata: 'processed-up-to=10' },
      { topic: 'gps.episodes', partition: 2, offset: 15, processedUpTo: 20, held: null, metadata: 'processed-up-to=20' },
    ]);
  });

  it('never commits past what was processed, even if a handler reports a later held offset', () => {
    expect(commitTargets(map([['raw.sensor:0', 5]]), map([['raw.sensor:0', 9]]), none)).toEqual([{ topic: 'raw.sensor', partition: 0, offset: 5, processedUpTo: 5, held: null, metadata: 'processed-up-to=5' }]);
  });

  it('stores each participant\'s held offset in the metadata, and commits again when only that changed', () => {
    const processed = map([['raw.gps:0', 50]]);
    const byParticipant = new Map([['raw.gps:0', map([['b', 42], ['a', 7]])]]);
    const [target] = commitTargets(processed, map([['raw.gps:0', 7]]), none, byParticipant);
    expect(target).toEqual({ topic: 'raw.gps', partition: 0, offset: 7, processedUpTo: 50, held: map([['b', 42], ['a', 7]]), metadata: 'processed-up-to=50;held={"a":7,"b":42}' });
    const committed = new Map([['raw.gps:0', { offset: 7, processedUpTo: 50, metadata: target!.metadata }]]);
    expect(commitTargets(processed, map([['raw.gps:0', 7]]), committed, byParticipant)).toEqual([]);
    const moved = new Map([['raw.gps:0', map([['b', 45], ['a', 7]])]]);
    expect(commitTargets(processed, map([['raw.gps:0', 7]]), committed, moved).map((t) => t.metadata)).toEqual(['processed-up-to=50;held={"a":7,"b":45}']);
  });

  it('leaves the participants out when the metadata would not fit the broker\'s limit', () => {
    const many = new Map([...Array.from({ length: 400 }, (_, i) => [`participant-${i}`, i] as const)]);
    const [target] = commitTargets(map([['raw.gps:0', 500]]), map([['raw.gps:0', 0]]), none, new Map([['raw.gps:0', many]]));
    expect(target?.metadata).toBe('processed-up-to=500');
    expect(target?.held).toBeNull();
  });
});

describe('commit metadata', () => {
  it('round-trips how far processing went and each participant\'s held offset', () => {
    expect(parseCommitMetadata(commitMetadata(120, map([['p1', 87], ['p2', 101]])))).toEqual({ processedUpTo: 120, held: map([['p1', 87], ['p2', 101]]) });
    expect(parseCommitMetadata(commitMetadata(120, map([])))).toEqual({ processedUpTo: 120, held: map([]) });
    expect(parseCommitMetadata(processedUpToMetadata(120))).toEqual({ processedUpTo: 120, held: null });
  });

  it('reads unreadable participant maps as unknown, never as empty', () => {
    expect(parseCommitMetadata('processed-up-to=9;held={"p1":"x"}')).toEqual({ processedUpTo: 9, held: null });
    expect(parseCommitMetadata('processed-up-to=9;held=[1]')).toEqual({ processedUpTo: 9, held: null });
    expect(parseCommitMetadata('processed-up-to=9;held={oops')).toEqual({ processedUpTo: 9, held: null });
  });
});

describe('mayProduce (fencing)', () => {
  it('lets a member produce while its last proof of membership is younger than the fence', () => {
    expect(mayProduce(1_000, 10_999, 10_000)).toBe(true);
    expect(mayProduce(1_000, 11_000, 10_000)).toBe(false);
    expect(mayProduce(null, 0, 10_000)).toBe(false);
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

describe('RetrySchedule (the consumer after a crash KafkaJS does not restart from)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs again after 1 s, then 2 s, 4 s after each failure, until it succeeds', async () => {
    vi.useFakeTimers();
    const tries: number[] = [];
    const failures: string[] = [];
    let fail = 2;
    const schedule = new RetrySchedule(
      async () => {
        tries.push(Date.now());
        if (fail-- > 0) throw new Error(`broker still starting (${fail + 1})`);
      },
      (err) => failures.push((err as Error).message),
    );
    const start = Date.now();
    expect(schedule.schedule()).toBe(1000);
    expect(schedule.schedule(), 'a try is already pending').toBeNull();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(tries.map((t) => t - start)).toEqual([1000, 3000, 7000]);
    expect(failures).toEqual(['broker still starting (2)', 'broker still starting (1)']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tries).toHaveLength(3);
    // Once it runs again, the next crash starts from the shortest delay.
    schedule.succeeded();
    expect(schedule.schedule()).toBe(1000);
  });

  it('does nothing once stopped, even with a try pending', async () => {
    vi.useFakeTimers();
    let tries = 0;
    const schedule = new RetrySchedule(async () => {
      tries++;
    }, () => {});
    schedule.schedule();
    schedule.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tries).toBe(0);
    expect(schedule.schedule()).toBeNull();
  });
});
