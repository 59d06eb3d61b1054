/**
 * A withdrawn participant's snapshots in the services' compacted changelogs (docs/stream-runtime.md,
 * "Changelog"): a compacted topic keeps each key's last record for good, so erasing writes a
 * tombstone (a null value) under the participant's key in each partition that holds a snapshot;
 * compaction then drops the key.
 */
import { CHANGELOG_SERVICES, changelogTopic } from '@polluscope/common';
import { Partitioners, type Kafka } from 'kafkajs';
import { readRecords, type ReadRecord } from './kafka-records.js';

export interface ChangelogErasure {
  readonly topic: string;
  /** Partitions whose last record of the participant is a snapshot, not a tombstone. */
  readonly partitions: readonly number[];
}

/** Per topic, the partitions where the participant's last record (in offset order) is a snapshot. */
export function liveSnapshots(records: readonly ReadRecord[], participant: string): ChangelogErasure[] {
  const last = new Map<string, { topic: string; partition: number; live: boolean }>();
  for (const { topic, partition, message } of records) {
    if (message.key?.toString('utf8') !== participant) continue;
    last.set(`${topic}:${partition}`, { topic, partition, live: message.value !== null });
  }
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition, live } of last.values()) {
    if (!live) continue;
    const partitions = byTopic.get(topic) ?? [];
    partitions.push(partition);
    byTopic.set(topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

/** Finds the participant's live snapshots and, unless dry, tombstones each. */
export async function eraseChangelogSnapshots(kafka: Kafka, participant: string, dryRun: boolean): Promise<ChangelogErasure[]> {
  const topics = CHANGELOG_SERVICES.map((s) => changelogTopic(s).name);
  const found = liveSnapshots(await readRecords(kafka, topics), participant);
  if (dryRun || found.length === 0) return found;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  try {
    for (const { topic, partitions } of found) {
      await producer.send({ topic, acks: -1, messages: partitions.map((partition) => ({ key: participant, value: null, partition })) });
    }
  } finally {
    await producer.disconnect();
  }
  return found;
}
