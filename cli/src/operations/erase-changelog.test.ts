import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { liveSnapshots } from './erase-changelog.js';
import type { ReadRecord } from './kafka-records.js';

const record = (topic: string, partition: number, key: string, value: string | null): ReadRecord => ({
  topic,
  partition,
  message: { key: Buffer.from(key), value: value === null ? null : Buffer.from(value), offset: '0', timestamp: '0', attributes: 0, headers: {} } as KafkaMessage,
});

describe('liveSnapshots', () => {
  it('finds the partitions whose last record of the participant is a snapshot', () => {
    const records = [
      record('stop-move-detection.changelog', 2, 'p1', '{"v":1}'),
      record('stop-move-detection.changelog', 2, 'p2', '{"v":1}'),
      record('stop-move-detection.changelog', 2, 'p1', '{"v":2}'),
      record('stop-move-detection.changelog', 4, 'p1', '{"v":1}'),
    ];
    expect(liveSnapshots(records, 'p1')).toEqual([{ topic: 'stop-move-detection.changelog', partitions: [2, 4] }]);
  });

  it('leaves out a partition whose last record of the participant is already a tombstone', () => {
    const records = [
      record('stop-move-detection.changelog', 1, 'p1', '{"v":1}'),
      record('stop-move-detection.changelog', 1, 'p1', null),
      record('stop-move-detection.changelog', 3, 'p1', null),
      record('stop-move-detection.changelog', 3, 'p1', '{"v":3}'),
    ];
    expect(liveSnapshots(records, 'p1')).toEqual([{ topic: 'stop-move-detection.changelog', partitions: [3] }]);
    expect(liveSnapshots(records, 'p9')).toEqual([]);
  });
});
