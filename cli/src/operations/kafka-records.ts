/**
 * Reading topics from the command line: their offsets, and their records from the start or only
 * the last few of each partition. KafkaJS has no manual assignment, so a reader joins a
 * throwaway group (`polluscope-cli-…`) and deletes it afterwards; it never commits.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';

/** Groups the command line creates for reading; `status` leaves them out. */
export const CLI_GROUP_PREFIX = 'polluscope-cli-';

export interface PartitionBounds {
  readonly partition: number;
  /** First offset still kept (log start). */
  readonly start: number;
  /** Next offset to be written (high watermark). */
  readonly end: number;
}

export function kafkaClient(brokers: string): Kafka {
  return new Kafka({ clientId: 'polluscope-cli', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 }, connectionTimeout: 3000 });
}

export async function topicBounds(admin: Admin, topics: readonly string[]): Promise<Map<string, PartitionBounds[]>> {
  const bounds = new Map<string, PartitionBounds[]>();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    bounds.set(
      topic,
      offsets.map((o) => ({ partition: o.partition, start: Number(o.low), end: Number(o.high) })).sort((a, b) => a.partition - b.partition),
    );
  }
  return bounds;
}

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Every record of `topics` that exists now (or the last `lastPerPartition` of each partition),
 * in partition and offset order. Stops once each partition reached the end it had when called.
 */
export async function readRecords(kafka: Kafka, topics: readonly string[], options: { lastPerPartition?: number; timeoutMs?: number } = {}): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const bounds = await topicBounds(admin, topics);
    const wanted = new Map<string, { from: number; end: number }>();
    for (const [topic, partitions] of bounds) {
      for (const p of partitions) {
        const from = options.lastPerPartition === undefined ? p.start : Math.max(p.start, p.end - options.lastPerPartition);
        if (p.end > from) wanted.set(`${topic}:${p.partition}`, { from, end: p.end });
      }
    }
    if (wanted.size === 0) return [];
    const groupId = `${CLI_GROUP_PREFIX}${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
    const records: ReadRecord[] = [];
    const pending = new Set(wanted.keys());
    try {
      await consumer.connect();
      const readTopics = [...new Set([...wanted.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
      await consumer.subscribe({ topics: readTopics, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${readTopics.join(', ')} did not finish within ${(options.timeoutMs ?? 30_000) / 1000} s (${pending.size} partitions short of their end)`)),
          options.timeoutMs ?? 30_000,
        );
        consumer.on(consumer.events.GROUP_JOIN, () => {
          for (const [key, range] of wanted) {
            const at = key.lastIndexOf(':');
            consumer.seek({ topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: String(range.from) });
          }
        });
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const key = `${batch.topic}:${batch.partition}`;
              const range = wanted.get(key);
              if (range === undefined) return;
              for (const message of batch.messages) {
                const offset = Number(message.offset);
                if (offset >= range.from && offset < range.end) records.push({ topic: batch.topic, partition: batch.partition, message });
                if (offset >= range.end - 1) pending.delete(key);
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
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    // A seek can re-deliver what a first fetch already brought: one copy of each record.
    const unique = new Map(records.map((r) => [`${r.topic}:${r.partition}:${r.message.offset}`, r]));
    return [...unique.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset));
  } finally {
    await admin.disconnect();
  }
}
