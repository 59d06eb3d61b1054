import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroCodec, registryFailureCode } from './codec.js';
import { isPoison, PipelineError } from './errors.js';
import { DEFAULT_SCHEMAS_DIR } from './service-main.js';
import { TOPICS } from './topics.js';

/**
 * The codec against a small stand-in for the registry's Confluent-compatible API (the two routes
 * decoding uses), with the real registry client and the real avsc. The real registry is in
 * tests/integration/dead-letters.test.ts.
 */
const sensorSchema = JSON.parse(readFileSync(`${DEFAULT_SCHEMAS_DIR}/raw.sensor.avsc`, 'utf8')) as { fields: { name: string }[] } & avro.schema.RecordType;
const without = (field: string) => ({ ...sensorSchema, fields: sensorSchema.fields.filter((f) => f.name !== field) });
const withExtra = { ...sensorSchema, fields: [...sensorSchema.fields, { name: 'battery', type: ['null', 'double'], default: null }] };
const SCHEMAS: Record<number, object> = {
  7: sensorSchema, // what the consumer reads
  8: without('participant_virtual_id'), // a writer without a required field of the reader
  9: without('kit_id'), // a writer without an optional field
  10: withExtra, // a writer with a field the reader does not know
  12: { ...sensorSchema, name: 'Value', namespace: 'rawdata.public.sensor_measurements' }, // as the change data capture names it
};
/** Ids answered with 503. */
const FAILING = 11;

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const id = Number(/\/schemas\/ids\/(\d+)/.exec(request.url ?? '')?.[1]);
    response.setHeader('content-type', 'application/json');
    if (id === FAILING) return void response.writeHead(503).end(JSON.stringify({ error_code: 50301, message: 'busy' }));
    const schema = SCHEMAS[id];
    if (schema === undefined) return void response.writeHead(404).end(JSON.stringify({ error_code: 40403, message: `Schema ${id} not found.` }));
    response.writeHead(200).end(JSON.stringify({ schema: JSON.stringify(schema) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const row = {
  id: 1, participant_virtual_id: 'p1', kit_id: 3, time: '2026-03-04T10:00:00Z',
  pm1: null, pm25: 11, pm10: null, no2: null, bc: null, temperature: null, humidity: null, activity: null, event: null,
};

/** Confluent wire format of `value` written with schema `id`. */
function wire(id: number, value: object): Buffer {
  const payload = avro.Type.forSchema(SCHEMAS[id] as avro.Schema, { wrapUnions: false }).toBuffer(value);
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, payload]);
}

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

describe('AvroCodec.decode', () => {
  const codec = () => new AvroCodec(url, DEFAULT_SCHEMAS_DIR);

  it('decodes a record with the reader schema', async () => {
    expect(await codec().decode(wire(7, row), TOPICS.rawSensor)).toEqual(row);
  });

  it('reads a writer without an optional field (the default) or with an extra field (skipped)', async () => {
    const { kit_id: _kit, ...noKit } = row;
    expect(await codec().decode(wire(9, noKit), TOPICS.rawSensor)).toEqual({ ...row, kit_id: null });
    expect(await codec().decode(wire(10, { ...row, battery: 80 }), TOPICS.rawSensor)).toEqual(row);
  });

  it('reads a writer whose record has another name (the change data capture names it after the table)', async () => {
    expect(await codec().decode(wire(12, row), TOPICS.rawSensor)).toEqual(row);
  });

  it('dead-letters a writer without a required field of the reader, never reading it as a missing value', async () => {
    const { participant_virtual_id: _p, ...noParticipant } = row;
    const error = await failure(codec().decode(wire(8, noParticipant), TOPICS.rawSensor));
    expect(error.code).toBe('SCHEMA_MISMATCH');
    expect(error.message).toContain('participant_virtual_id');
    expect([isPoison(error), error.retryable]).toEqual([true, false]);
  });

  it('dead-letters a record with one byte changed (the union branch of kit_id made impossible)', async () => {
    const bytes = wire(7, row);
    // id (1 byte: 02), participant "p1" (length 04, 2 bytes), kit_id union branch.
    expect(bytes[5 + 4]).toBe(2); // branch 1: int
    bytes[5 + 4] = 0x08; // branch 4 of a 2-branch union
    const error = await failure(codec().decode(bytes, TOPICS.rawSensor));
    expect([error.code, isPoison(error), error.retryable]).toEqual(['DECODE_FAILED', true, false]);
  });

  it('dead-letters a record with one byte changed in a string length (truncated)', async () => {
    const bytes = wire(7, row);
    bytes[5 + 1] = 0x7e; // participant id of 63 bytes
    const error = await failure(codec().decode(bytes, TOPICS.rawSensor));
    expect([error.code, isPoison(error)]).toEqual(['DECODE_FAILED', true]);
  });

  it('dead-letters a record with one trailing byte', async () => {
    const error = await failure(codec().decode(Buffer.concat([wire(7, row), Buffer.from([0])]), TOPICS.rawSensor));
    expect([error.code, isPoison(error), error.message]).toEqual(['DECODE_FAILED', true, 'cannot decode with schema 7: trailing data']);
  });

  it('dead-letters a trailing byte when decoding with the writer schema too', async () => {
    const error = await failure(codec().decode(Buffer.concat([wire(7, row), Buffer.from([0])])));
    expect([error.code, isPoison(error)]).toEqual(['DECODE_FAILED', true]);
  });

  it('dead-letters bytes without the wire header', async () => {
    const error = await failure(codec().decode(Buffer.from('not avro'), TOPICS.rawSensor));
    expect([error.code, isPoison(error)]).toEqual(['DECODE_FAILED', true]);
  });

  it('dead-letters a schema id the registry does not know (404, error code 40403)', async () => {
    const bytes = wire(7, row);
    bytes.writeInt32BE(4242, 1);
    const error = await failure(codec().decode(bytes, TOPICS.rawSensor));
    expect([error.code, isPoison(error), error.retryable]).toEqual(['SCHEMA_UNKNOWN', true, false]);
  });

  it('retries when the registry cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(new AvroCodec(`http://127.0.0.1:${port}`, DEFAULT_SCHEMAS_DIR).decode(wire(7, row), TOPICS.rawSensor));
    expect([error.code, isPoison(error), error.retryable]).toEqual(['REGISTRY_UNAVAILABLE', false, true]);
    expect(error.message).toMatch(/^schema registry unreachable: /);
  });

  it('retries when the registry answers 5xx', async () => {
    const bytes = wire(7, row);
    bytes.writeInt32BE(FAILING, 1);
    const error = await failure(codec().decode(bytes, TOPICS.rawSensor));
    expect([error.code, isPoison(error), error.retryable]).toEqual(['REGISTRY_UNAVAILABLE', false, true]);
  }, 15_000);
});

describe('registryFailureCode', () => {
  it('is permanent only when the registry says it has no such schema', () => {
    expect(registryFailureCode(404, 40403)).toBe('SCHEMA_UNKNOWN');
    expect(registryFailureCode(404, undefined)).toBe('REGISTRY_UNAVAILABLE'); // a wrong path, a proxy
    expect(registryFailureCode(404, 40401)).toBe('REGISTRY_UNAVAILABLE'); // subject not found: not about this record
    expect(registryFailureCode(503, undefined)).toBe('REGISTRY_UNAVAILABLE');
    expect(registryFailureCode(400, undefined)).toBe('REGISTRY_UNAVAILABLE'); // how the client reports a refused connection
    expect(registryFailureCode(undefined, undefined)).toBe('REGISTRY_UNAVAILABLE');
  });
});

describe('AvroCodec with a registry login', () => {
  /** A registry that refuses writes without its login (Apicurio with HTTP Basic, docs/security.md). */
  const login = { username: 'schema-writer', password: randomBytes(12).toString('hex') };
  const expected = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
  const seen: { method: string; path: string; authorization: string | undefined }[] = [];
  let guarded: Server;
  let guardedUrl = '';

  beforeAll(async () => {
    guarded = createServer((request, response) => {
      seen.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization });
      response.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
      if (request.method !== 'GET' && request.headers.authorization !== expected) {
        return void response.writeHead(401).end(JSON.stringify({ error_code: 401, message: 'User is not authenticated.' }));
      }
      if (request.url === '/subjects') return void response.writeHead(200).end('[]');
      if (request.url === '/config/raw.sensor-value' && request.method === 'GET') return void response.writeHead(200).end(JSON.stringify({ compatibilityLevel: 'BACKWARD' }));
      if (request.url === '/schemas/ids/21') return void response.writeHead(200).end(JSON.stringify({ schema: JSON.stringify(sensorSchema) }));
      // Registration: POST /subjects/{subject}/versions.
      request.resume();
      request.on('end', () => response.writeHead(200).end(JSON.stringify({ id: 21 })));
    });
    guarded.listen(0, '127.0.0.1');
    await once(guarded, 'listening');
    guardedUrl = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => guarded.close(() => resolve())));

  it('registers its outputs with the login, on every request', async () => {
    seen.length = 0;
    const codec = new AvroCodec(guardedUrl, DEFAULT_SCHEMAS_DIR, login);
    await codec.registerOutputs([TOPICS.rawSensor]);
    expect(seen.some((r) => r.method === 'POST' && r.path === '/subjects/raw.sensor-value/versions')).toBe(true);
    expect(await codec.reachable()).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    for (const request of seen) expect(request.authorization, `${request.method} ${request.path}`).toBe(expected);
  });

  it('without a login, registering is refused and the start fails; reads still answer', async () => {
    seen.length = 0;
    const codec = new AvroCodec(guardedUrl, DEFAULT_SCHEMAS_DIR);
    const error = await failure(codec.registerOutputs([TOPICS.rawSensor]));
    expect(error.message).toMatch(/^registering raw\.sensor-value failed: /);
    expect(await codec.reachable()).toBe(true);
    for (const request of seen) expect(request.authorization).toBeUndefined();
  });
});
