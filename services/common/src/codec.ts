/**
 * Avro through the registry's Confluent-compatible API: output schemas are registered at start
 * (subject `<topic>-value`, BACKWARD compatibility) and records are encoded with their id;
 * inputs are decoded with the writer schema their id names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { PipelineError } from './errors.js';
import type { TopicSpec } from './topics.js';

export function readSchemaFile(schemasDir: string, topic: TopicSpec): string {
  if (topic.valueSchema === null) throw new PipelineError('SCHEMA_NOT_FOUND', `${topic.name} carries raw bytes, not Avro`);
  const file = join(schemasDir, topic.valueSchema);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new PipelineError('SCHEMA_NOT_FOUND', `cannot read ${file}`, { topic: topic.name }, { cause: err });
  }
}

export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, number>();

  constructor(
    readonly registryUrl: string,
    private readonly schemasDir: string,
  ) {
    this.registry = new SchemaRegistry({ host: registryUrl }, { forSchemaOptions: { wrapUnions: false } });
  }

  /** Registers the value schema of every topic this service produces. */
  async registerOutputs(topics: readonly TopicSpec[]): Promise<void> {
    for (const topic of topics) {
      const schema = readSchemaFile(this.schemasDir, topic);
      try {
        const { id } = await this.registry.register(
          { type: SchemaType.AVRO, schema },
          { subject: `${topic.name}-value`, compatibility: COMPATIBILITY.BACKWARD },
        );
        this.ids.set(topic.name, id);
      } catch (err) {
        throw new PipelineError('REGISTRY_UNAVAILABLE', `registering ${topic.name}-value failed: ${(err as Error).message}`, { topic: topic.name }, { cause: err });
      }
    }
  }

  async encode(topic: TopicSpec, value: unknown): Promise<Buffer> {
    const id = this.ids.get(topic.name);
    if (id === undefined) throw new Error(`schema of ${topic.name} was not registered at start`);
    return this.registry.encode(id, value);
  }

  /**
   * Decodes a record. A record that is not in the registry's wire format, or names a schema the
   * registry does not know, is poison (DECODE_FAILED); an unreachable registry is not.
   */
  async decode(bytes: Buffer | null): Promise<unknown> {
    if (bytes === null || bytes.length < 5 || bytes[0] !== 0) {
      throw new PipelineError('DECODE_FAILED', 'not an Avro record of the registry (missing magic byte 0 and schema id)');
    }
    try {
      return await this.registry.decode(bytes);
    } catch (err) {
      const status = (err as { status?: number }).status;
      const message = (err as Error).message ?? String(err);
      if (status === 404 || /not found|invalid|index out of bounds|truncated|Unexpected/i.test(message)) {
        throw new PipelineError('DECODE_FAILED', `cannot decode: ${message}`, {}, { cause: err });
      }
      throw new PipelineError('REGISTRY_UNAVAILABLE', `schema registry: ${message}`, {}, { cause: err });
    }
  }

  /** True when the registry answers. */
  async reachable(timeoutMs = 2000): Promise<boolean> {
    try {
      const response = await fetch(`${this.registryUrl}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
      return response.ok;
    } catch {
      return false;
    }
  }
}
