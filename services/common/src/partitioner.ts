/**
 * The Java client's partitioner (murmur2 of the key, KafkaJS's DefaultPartitioner), remembering
 * each key's partition per topic and partition count. Keys are participant ids, few and repeated;
 * the default partitioner hashes every record's key and copies the partition list each time.
 */
import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/** Past this many remembered keys of a topic, its memory starts afresh. */
const MAX_KEYS_PER_TOPIC = 100_000;

export const CachedDefaultPartitioner: ICustomPartitioner = () => {
  const partition = Partitioners.DefaultPartitioner();
  const byTopic = new Map<string, { partitions: number; keys: Map<string, number> }>();
  return (args: PartitionerArgs) => {
    const { topic, partitionMetadata, message } = args;
    // Explicit partitions, Buffer or missing keys: the default's own rules.
    if ((message.partition !== undefined && message.partition !== null) || typeof message.key !== 'string') return partition(args);
    let known = byTopic.get(topic);
    if (known === undefined || known.partitions !== partitionMetadata.length || known.keys.size >= MAX_KEYS_PER_TOPIC) {
      known = { partitions: partitionMetadata.length, keys: new Map() };
      byTopic.set(topic, known);
    }
    let chosen = known.keys.get(message.key);
    if (chosen === undefined) {
      chosen = partition(args);
      known.keys.set(message.key, chosen);
    }
    return chosen;
  };
};
