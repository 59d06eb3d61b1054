/**
 * A partition assigner that keeps co-partitioned topics together: partition p of every subscribed
 * topic goes to the same member. A participant's records land on the same partition number in
 * every topic (same key, same murmur2 partitioner), so a service joining several topics
 * (postprocessing: segments, GPS episodes, review decisions) must own partition p of all of them.
 * KafkaJS's RoundRobinAssigner deals topic-partitions out in one sequence, which keeps them
 * together only when the member count divides the partition count (1, 2, 3 or 6 members of 6
 * partitions); with 4 or 5 replicas a participant's segments and episodes went to different members.
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

export const CO_PARTITIONED_ASSIGNER_NAME = 'CoPartitionedAssigner';

/**
 * Partition p of every topic to member p mod n, members sorted by id (every member computes the
 * same answer). A topic with fewer partitions simply has no p there.
 */
export function assignCoPartitioned(
  memberIds: readonly string[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): Map<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const assignment = new Map<string, Record<string, number[]>>(members.map((m) => [m, {}]));
  if (members.length === 0) return assignment;
  for (const [topic, partitions] of partitionsByTopic) {
    for (const partition of [...partitions].sort((a, b) => a - b)) {
      const owner = assignment.get(members[partition % members.length] as string) as Record<string, number[]>;
      (owner[topic] ??= []).push(partition);
    }
  }
  return assignment;
}

export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITIONED_ASSIGNER_NAME,
  version: 0,
  async assign({ members, topics }) {
    const partitionsByTopic = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId)]));
    const assignment = assignCoPartitioned(
      members.map((m) => m.memberId),
      partitionsByTopic,
    );
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: CO_PARTITIONED_ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
