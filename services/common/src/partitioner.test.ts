import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { CachedDefaultPartitioner } from './partitioner.js';

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
const args = (key: string | Buffer | null, partitions = 6, topic = 'sensor.clean', partition?: number): PartitionerArgs => ({
  topic,
  partitionMetadata: metadata(partitions),
  message: { key, value: 'v', ...(partition === undefined ? {} : { partition }) },
});

describe('CachedDefaultPartitioner', () => {
  it('chooses what the default (Java-compatible) partitioner chooses', () => {
    const cached = CachedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 200; i++) {
      const key = `participant-${i}`;
      expect(cached(args(key)), key).toBe(reference(args(key)));
      expect(cached(args(key)), `${key} again`).toBe(reference(args(key)));
      expect(cached(args(key, 12, 'gps.clean')), `${key} on 12 partitions`).toBe(reference(args(key, 12, 'gps.clean')));
    }
  });

  it('spreads keys over every partition', () => {
    const cached = CachedDefaultPartitioner();
    const used = new Set(Array.from({ length: 200 }, (_, i) => cached(args(`p${i}`))));
    expect(used).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('recomputes when the topic gets more partitions', () => {
    const cached = CachedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    const keys = Array.from({ length: 50 }, (_, i) => `p${i}`);
    for (const key of keys) cached(args(key, 6));
    expect(keys.map((key) => cached(args(key, 9)))).toEqual(keys.map((key) => reference(args(key, 9))));
    expect(keys.some((key) => cached(args(key, 9)) !== cached(args(key, 6)))).toBe(true);
  });

  it('keeps explicit partitions and Buffer keys to the default rules', () => {
    const cached = CachedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    expect(cached(args('p1', 6, 'raw.sensor', 4))).toBe(4);
    expect(cached(args(Buffer.from('p1')))).toBe(reference(args(Buffer.from('p1'))));
    expect(cached(args(Buffer.from('p1')))).toBe(cached(args('p1')));
  });
});
