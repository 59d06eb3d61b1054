/**
 * Reads a changelog topic's assigned partitions from their start to the end offsets they have on
 * assignment (docs/stream-runtime.md, "Changelog"). KafkaJS has no manual assignment, so the reader
 * joins a throwaway group `<service>.changelog-restore-<uuid>` that never commits (an empty group
 * without offsets is removed by the broker), as the CLI's topic reader does.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { ChangelogMessage, ChangelogReader } from './changelog.js';

/** The partitions to read and where each ends now; empty partitions are left out. */
export function restoreRanges(partitions: readonly number[], offsets: readonly { partition: number; low: string; high: string }[]): Map<number, { from: number; end: number }> {
  const wanted = new Set(partitions);
  const ranges = new Map<number, { from: number; end: number }>();
  for (const o of offsets) {
    const from = Number(o.low);
    const end = Number(o.high);
    if (wanted.has(o.partition) && end > from) ranges.set(o.partition, { from, end });
  }
  return ranges;
}

/** Group-id prefix of the restore readers of a service (its ACL grants Read on it). */
export const restoreGroupPrefix = (service: string) => `${service}.changelog-restore-`;

export function kafkaChangelogReader(kafka: Kafka, service: string, timeoutMs = 60_000): ChangelogReader {
  return {
    async read(topic, partitions) {
      const admin = kafka.admin();
      await admin.connect();
      let ranges: Map<number, { from: number; end: number }>;
      try {
        ranges = restoreRanges(partitions, await admin.fetchTopicOffsets(topic));
      } finally {
        await admin.disconnect();
      }
      if (ranges.size === 0) return [];
      const consumer = kafka.consumer({ groupId: `${restoreGroupPrefix(service)}${randomUUID()}`, maxWaitTimeInMs: 250, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
      const messages = new Map<string, ChangelogMessage>();
      const pending = new Set(ranges.keys());
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`restoring ${topic} did not finish within ${timeoutMs / 1000} s (${pending.size} partitions short of their end)`)), timeoutMs);
          consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
            const others = (payload.memberAssignment[topic] ?? []).filter((p) => !ranges.has(p));
            if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
            for (const [partition, range] of ranges) consumer.seek({ topic, partition, offset: String(range.from) });
          });
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const range = ranges.get(batch.partition);
                if (range === undefined) return;
                for (const m of batch.messages) {
                  const offset = Number(m.offset);
                  // A seek can re-deliver what a first fetch brought: keyed by offset, one copy each.
                  if (offset < range.end) messages.set(`${batch.partition}:${offset}`, { partition: batch.partition, offset, key: m.key?.toString('utf8') ?? null, value: m.value });
                  if (offset >= range.end - 1) pending.delete(batch.partition);
                }
                if (pending.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect().catch(() => undefined);
      }
      return [...messages.values()];
    },
  };
}
