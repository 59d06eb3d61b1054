/**
 * Avro through the registry's Confluent-compatible API: output schemas are registered at start
 * (subject `<topic>-value`, BACKWARD compatibility) and records are encoded with their id;
 * inputs are decoded with the consumer's own reader schema, resolved against the writer schema
 * their id names (docs/design.md §4, "Schema evolution").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
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
type AvroType = avro.Type;

/** How records of one topic written with one schema id are read: reader type and resolver, or why they cannot be. */
interface Resolved {
  readonly type: AvroType;
  readonly resolver: avro.Resolver | undefined;
}
type Reading = Resolved | { readonly error: PipelineError };

/** The Confluent registry's error code for "schema not found" (GET /schemas/ids/{id}). */
export const SCHEMA_NOT_FOUND_ERROR_CODE = 40403;
const REGISTRY_TIMEOUT_MS = 5_000;

/**
 * What a failed schema lookup means, from the HTTP status and the registry's error code: only the
 * registry saying it has no such schema (404 with error code 40403) makes the record permanently
 * undecodable. Anything else — no answer (the client reports network errors and timeouts as
 * status 400 or none), 5xx, a 404 without that code (a wrong path, a proxy) — is the
 * infrastructure's fault, and retried.
 */
export function registryFailureCode(status: number | undefined, errorCode: number | undefined): 'SCHEMA_UNKNOWN' | 'REGISTRY_UNAVAILABLE' {
  return status === 404 && errorCode === SCHEMA_NOT_FOUND_ERROR_CODE ? 'SCHEMA_UNKNOWN' : 'REGISTRY_UNAVAILABLE';
}

/**
 * A login to the registry (HTTP Basic). Registering a schema needs one; reading schemas does not,
 * but a client that has one sends it with every request.
 */
export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

/** The Authorization header of `login`, or none. */
function authorizationHeaders(login: RegistryLogin | null): Record<string, string> {
  return login === null ? {} : { Authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` };
}

/** Confluent wire format: magic byte 0, schema id (4 bytes, big-endian), Avro binary. */
const HEADER_BYTES = 5;

/**
 * The reader type, answering to the writer's record name too: the reader reads by field, and the
 * name a producer gives its record (the change data capture names it after the table, e.g.
 * `rawdata.public.sensor_measurements.Value`) is not part of what the consumer depends on. Avro
 * schema resolution matches names, so the writer's becomes an alias of the reader's.
 */
function namedAs(reader: AvroType, writer: AvroType): AvroType {
  if (reader.name === undefined || writer.name === undefined || reader.name === writer.name) return reader;
  const schema = reader.schema() as avro.schema.RecordType;
  return avro.Type.forSchema({ ...schema, aliases: [...(schema.aliases ?? []), writer.name] }, { wrapUnions: false });
}

export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, number>();
  private readonly latestIds = new Map<string, number>();
  /**
   * Types by schema id, once the registry client has fetched them: records are then encoded and
   * decoded here directly, without the client's per-record lookups, awaits and buffer copies.
   */
  private readonly types = new Map<number, AvroType>();
  /** Reader types by topic name, from `schemas/`. */
  private readonly readers = new Map<string, AvroType>();
  /** By `topic:schema id`. */
  private readonly readings = new Map<string, Reading>();
  private scratch = Buffer.allocUnsafe(64 * 1024);

  constructor(
    readonly registryUrl: string,
    private readonly schemasDir: string,
    private readonly login: RegistryLogin | null = null,
  ) {
    this.registry = new SchemaRegistry(
      { host: registryUrl, ...(login === null ? {} : { auth: { username: login.username, password: login.password } }) },
      { forSchemaOptions: { wrapUnions: false } },
    );
  }

  /**
   * Encodes with the latest schema of the topic's subject as another producer registered it (the
   * change-data-capture source's raw schemas), for records re-published in its place.
   */
  async encodeAsLatest(topic: TopicSpec, value: unknown): Promise<Buffer> {
    const subject = `${topic.name}-value`;
    let id = this.latestIds.get(subject);
    if (id === undefined) {
      id = await this.registry.getLatestSchemaId(subject);
      this.latestIds.set(subject, id);
    }
    return this.registry.encode(id, value);
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
   * Reads and parses the reader schemas of the topics this service consumes, so a missing or
   * broken schema file fails the start instead of every record.
   */
  prepareInputs(topics: readonly TopicSpec[]): void {
    for (const topic of topics) this.readerType(topic);
  }

  private readerType(topic: TopicSpec): AvroType {
    let reader = this.readers.get(topic.name);
    if (reader === undefined) {
      const text = readSchemaFile(this.schemasDir, topic);
      try {
        reader = avro.Type.forSchema(JSON.parse(text) as avro.Schema, { wrapUnions: false });
      } catch (err) {
        throw new PipelineError('SCHEMA_NOT_FOUND', `${topic.valueSchema} is not a valid Avro schema: ${(err as Error).message}`, { topic: topic.name }, { cause: err });
      }
      this.readers.set(topic.name, reader);
    }
    return reader;
  }

  /**
   * Decodes a record with the consumer's own reader schema for `topic` (from `schemas/`),
   * resolved against the writer schema its id names; without `topic`, with the writer schema.
   *
   * Permanent (the record goes to the dead-letter topic): bytes not in the registry's wire format
   * or not decodable with their schema (a corrupted byte, trailing data) — DECODE_FAILED; a schema
   * id the registry says it does not know — SCHEMA_UNKNOWN; a writer schema the reader schema
   * cannot read, e.g. without a required field — SCHEMA_MISMATCH. Transient: the registry not
   * answering, answering 5xx or anything but "no such schema" — REGISTRY_UNAVAILABLE.
   */
  async decode(bytes: Buffer | null, topic?: TopicSpec): Promise<unknown> {
    if (bytes === null || bytes.length < HEADER_BYTES || bytes[0] !== 0) {
      throw new PipelineError('DECODE_FAILED', 'not an Avro record of the registry (missing magic byte 0 and schema id)');
    }
    const id = bytes.readInt32BE(1);
    const writer = await this.writerType(id);
    const reading = topic === undefined ? { type: writer, resolver: undefined } : this.reading(topic, id, writer);
    try {
      // Throws on a truncated buffer, an impossible union branch, and trailing bytes after the record.
      return reading.type.fromBuffer(bytes.subarray(HEADER_BYTES), reading.resolver);
    } catch (err) {
      throw new PipelineError('DECODE_FAILED', `cannot decode with schema ${id}: ${(err as Error).message}`, { schemaId: id }, { cause: err });
    }
  }

  /** The writer schema of `id`, through the registry client (which caches it). */
  private async writerType(id: number): Promise<AvroType> {
    const cached = this.types.get(id);
    if (cached !== undefined) return cached;
    try {
      const type = (await this.registry.getSchema(id)) as unknown as AvroType;
      this.types.set(id, type);
      return type;
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      // The client keeps the HTTP status of a failed lookup but not the body's error code.
      const errorCode = status === 404 ? await this.lookupErrorCode(id) : undefined;
      const code = registryFailureCode(typeof status === 'number' ? status : undefined, errorCode);
      const message = (err as Error).message ?? String(err);
      if (code === 'SCHEMA_UNKNOWN') throw new PipelineError(code, `schema id ${id} is unknown to the registry (error code ${errorCode})`, { schemaId: id }, { cause: err });
      throw new PipelineError(code, `schema registry unreachable: ${message}`, { schemaId: id, status }, { cause: err });
    }
  }

  /** The Confluent `error_code` of the registry's answer for schema `id`; undefined when there is none. */
  private async lookupErrorCode(id: number): Promise<number | undefined> {
    try {
      const response = await fetch(`${this.registryUrl}/schemas/ids/${id}`, { headers: authorizationHeaders(this.login), signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS) });
      const body = (await response.json()) as { error_code?: unknown };
      return typeof body.error_code === 'number' ? body.error_code : undefined;
    } catch {
      return undefined;
    }
  }

  /** The reader type of `topic` and its resolver from writer schema `id`, built once per pair. */
  private reading(topic: TopicSpec, id: number, writer: AvroType): Resolved {
    const key = `${topic.name}:${id}`;
    let reading = this.readings.get(key);
    if (reading === undefined) {
      const reader = this.readerType(topic);
      try {
        const named = namedAs(reader, writer);
        reading = reader.equals(writer) ? { type: reader, resolver: undefined } : { type: named, resolver: named.createResolver(writer) };
      } catch (err) {
        reading = { error: new PipelineError('SCHEMA_MISMATCH', `schema ${id} cannot be read as ${topic.valueSchema}: ${(err as Error).message}`, { topic: topic.name, schemaId: id }, { cause: err }) };
      }
      this.readings.set(key, reading);
    }
    if ('error' in reading) throw reading.error;
    return reading;
  }

  /** True when the registry answers. */
  async reachable(timeoutMs = 2000): Promise<boolean> {
    try {
      const response = await fetch(`${this.registryUrl}/subjects`, { headers: authorizationHeaders(this.login), signal: AbortSignal.timeout(timeoutMs) });
      return response.ok;
    } catch {
      return false;
    }
  }
}
