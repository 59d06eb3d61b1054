/**
 * Compose creates the topics with infrastructure/kafka/create-topics.sh, the embedded stack from
 * the registry in services/common/src/topics.ts: the same topics, partitions and dead-letter retention.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTopics, CHANGELOG_SERVICES, changelogTopic, DEAD_LETTER_RETENTION_MS, DEFAULT_PARTITIONS } from '@polluscope/common';

const script = readFileSync(new URL('../../infrastructure/kafka/create-topics.sh', import.meta.url), 'utf8');
const variable = (name: string) => {
  const match = new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(script);
  if (match === null) throw new Error(`${name} is not set in create-topics.sh`);
  return match[1]!;
};

describe('create-topics.sh', () => {
  it('creates the registry\'s topics, dead letters apart', () => {
    const topics = allTopics();
    expect(variable('TOPICS').split(' ')).toEqual(topics.filter((t) => t.config === undefined).map((t) => t.name));
    expect(variable('DEAD_LETTER_TOPICS').split(' ')).toEqual(topics.filter((t) => t.name.startsWith('dlq.')).map((t) => t.name));
    expect(variable('CHANGELOG_TOPICS').split(' ')).toEqual(topics.filter((t) => t.name.endsWith('.changelog')).map((t) => t.name));
    expect(topics.filter((t) => t.config !== undefined).length).toBe(variable('DEAD_LETTER_TOPICS').split(' ').length + variable('CHANGELOG_TOPICS').split(' ').length);
  });

  it('creates the changelogs compacted, co-partitioned with their inputs', () => {
    expect(CHANGELOG_SERVICES).toEqual(['stop-move-detection']);
    for (const service of CHANGELOG_SERVICES) expect(changelogTopic(service).config).toEqual({ 'cleanup.policy': 'compact' });
    expect(script).toContain('--config "cleanup.policy=compact"');
    expect(script).toContain('--add-config "cleanup.policy=compact"');
  });

  it('with the same partitions and dead-letter retention', () => {
    expect(Number(variable('PARTITIONS'))).toBe(DEFAULT_PARTITIONS);
    expect(Number(variable('DEAD_LETTER_RETENTION_MS'))).toBe(DEAD_LETTER_RETENTION_MS);
    for (const t of allTopics().filter((t) => t.name.startsWith('dlq.'))) expect(t.config).toEqual({ 'retention.ms': String(DEAD_LETTER_RETENTION_MS) });
  });
});
