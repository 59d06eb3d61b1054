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

/** What encoding and decoding need of a schema: avsc's Type, as the registry client builds it. */
interface AvroType {
  fromBuffer(buffer: Buffer): unknown;
  /** Writes at `pos`; the new position, or a negative number when `buffer` is too small. */
  encode(value: unknown, buffer: Buffer, pos: number): number;
}

/** Confluent wire format: magic byte 0, schema id (4 bytes, big-endian), Avro binary. */
const HEADER_BYTES = 5;

export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, number>();
  /**
   * Types by schema id, once the registry client has fetched them: records are then encoded and
   * decoded here directly, without the client's per-record lookups, awaits and buffer copies.
   */
  private readonly types = new Map<number, AvroType>();
  private scratch = Buffer.allocUnsafe(64 * 1024);

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
        this.types.set(id, (await this.registry.getSchema(id)) as unknown as AvroType);
      } catch (err) {
        throw new PipelineError('REGISTRY_UNAVAILABLE', `registering ${topic.name}-value failed: ${(err as Error).message}`, { topic: topic.name }, { cause: err });
      }
    }
  }

  async encode(topic: TopicSpec, value: unknown): Promise<Buffer> {
    const id = this.ids.get(topic.name);
    if (id === undefined) throw new Error(`schema of ${topic.name} was not registered at start`);
    const type = this.types.get(id);
    if (type !== undefined) {
      try {
        return this.encodeWith(id, type, value);
      } catch {
        // The client's own encode reports which fields are invalid.
      }
    }
    return this.registry.encode(id, value);
  }

  private encodeWith(id: number, type: AvroType, value: unknown): Buffer {
    for (;;) {
      const end = type.encode(value, this.scratch, HEADER_BYTES);
      if (end >= 0) {
        const out = Buffer.from(this.scratch.subarray(0, end));
        out[0] = 0;
        out.writeInt32BE(id, 1);
        return out;
      }
      this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end)); // -end: bytes missing
    }
  }

  /**
   * Decodes a record. A record that is not in the registry's wire format, or names a schema the
   * registry does not know, is poison (DECODE_FAILED); an unreachable registry is not.
   */
  async decode(bytes: Buffer | null): Promise<unknown> {
    if (bytes === null || bytes.length < 5 || bytes[0] !== 0) {
      throw new PipelineError('DECODE_FAILED', 'not an Avro record of the registry (missing magic byte 0 and schema id)');
    }
    const id = bytes.readInt32BE(1);
    const type = this.types.get(id);
    if (type !== undefined) {
      try {
        return type.fromBuffer(bytes.subarray(HEADER_BYTES));
      } catch {
        // Undecodable with a known schema: the client's decode below gives the reason.
      }
    }
    try {
      const value = await this.registry.decode(bytes);
      if (type === undefined) this.types.set(id, (await this.registry.getSchema(id)) as unknown as AvroType);
      return value;
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
