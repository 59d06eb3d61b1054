import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { assignCoPartitioned, CoPartitionedAssigner } from './co-partitioned-assigner.js';

const sixPartitions = [0, 1, 2, 3, 4, 5];
const joinedTopics = new Map([
  ['activity.segments', sixPartitions],
  ['gps.episodes', sixPartitions],
  ['review.decisions', sixPartitions],
]);

/** Member owning each partition, per topic. */
function owners(assignment: Map<string, Record<string, number[]>>): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const [member, topics] of assignment) {
    for (const [topic, partitions] of Object.entries(topics)) {
      for (const p of partitions) {
        const byPartition = out.get(topic) ?? new Map<number, string>();
        byPartition.set(p, member);
        out.set(topic, byPartition);
      }
    }
  }
  return out;
}

describe('assignCoPartitioned', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('gives partition p of every topic to one member, with %i members', (count) => {
    const members = Array.from({ length: count }, (_, i) => `member-${i}`);
    const byTopic = owners(assignCoPartitioned(members, joinedTopics));
    for (const p of sixPartitions) {
      const segmentsOwner = byTopic.get('activity.segments')?.get(p);
      expect(segmentsOwner).toBeDefined();
      expect(byTopic.get('gps.episodes')?.get(p)).toBe(segmentsOwner);
      expect(byTopic.get('review.decisions')?.get(p)).toBe(segmentsOwner);
    }
  });

  it('spreads partitions evenly and the same way whatever the order the members are listed in', () => {
    const a = assignCoPartitioned(['m-b', 'm-a', 'm-d', 'm-c'], joinedTopics);
    const b = assignCoPartitioned(['m-d', 'm-c', 'm-b', 'm-a'], joinedTopics);
    expect(a).toEqual(b);
    expect(a.get('m-a')).toEqual({ 'activity.segments': [0, 4], 'gps.episodes': [0, 4], 'review.decisions': [0, 4] });
    expect(a.get('m-d')).toEqual({ 'activity.segments': [3], 'gps.episodes': [3], 'review.decisions': [3] });
  });

  it('leaves members beyond the partition count with nothing', () => {
    const assignment = assignCoPartitioned(['a', 'b', 'c'], new Map([['t', [1, 0]]]));
    expect(assignment.get('a')).toEqual({ t: [0] });
    expect(assignment.get('b')).toEqual({ t: [1] });
    expect(assignment.get('c')).toEqual({});
  });
});

describe('CoPartitionedAssigner', () => {
  it('encodes the assignment in the consumer protocol, read back by KafkaJS', async () => {
    const cluster = { findTopicPartitionMetadata: (topic: string) => (joinedTopics.get(topic) ?? []).map((partitionId) => ({ partitionId })) };
    const assigner = CoPartitionedAssigner({ cluster, groupId: 'g', logger: undefined } as never);
    const result = await assigner.assign({ members: [{ memberId: 'm-2', memberMetadata: Buffer.alloc(0) }, { memberId: 'm-1', memberMetadata: Buffer.alloc(0) }], topics: ['activity.segments', 'gps.episodes'] });
    const decoded = new Map(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment]));
    expect(decoded.get('m-1')).toEqual({ 'activity.segments': [0, 2, 4], 'gps.episodes': [0, 2, 4] });
    expect(decoded.get('m-2')).toEqual({ 'activity.segments': [1, 3, 5], 'gps.episodes': [1, 3, 5] });
    const metadata = AssignerProtocol.MemberMetadata.decode(assigner.protocol({ topics: ['gps.episodes'] }).metadata);
    expect(metadata?.topics).toEqual(['gps.episodes']);
  });
});
