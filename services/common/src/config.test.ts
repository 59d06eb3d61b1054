import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { loadServiceConfig } from './config.js';
import { PipelineError } from './errors.js';

const OWN = Type.Object({ MODEL_PATH: Type.Optional(Type.String({ minLength: 1 })), STOP_MAX_DIAMETER_M: Type.Number({ default: 100, exclusiveMinimum: 0 }) });
const load = (env: NodeJS.ProcessEnv) => loadServiceConfig('gps-preprocessing', 8002, '/schemas', env, OWN);

describe('loadServiceConfig', () => {
  it('uses the defaults of docs/design.md when nothing is set', () => {
    expect(load({})).toMatchObject({
      kafkaBrokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      host: '127.0.0.1',
      port: 8002,
      maxBodyBytes: 16_384,
      groupId: 'gps-preprocessing',
      allowedLatenessMs: 120_000,
      idleTimeoutMs: 30_000,
      maxFutureMs: 600_000,
      schemasDir: '/schemas',
      participantRetentionMs: undefined,
      settings: { STOP_MAX_DIAMETER_M: 100 },
    });
    // No SASL setting: PLAINTEXT, as the embedded stack's brokers on 127.0.0.1.
    expect(load({}).kafkaSasl).toBeNull();
  });

  // Passwords are x's: tests/unit/credentials.test.ts reads them as placeholders.
  it('reads a SASL login to the brokers, kept out of the service settings', () => {
    const config = load({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'gps-preprocessing', KAFKA_SASL_PASSWORD: 'xxxx' });
    expect(config.kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'gps-preprocessing', password: 'xxxx' });
    expect(config.settings).toEqual({ STOP_MAX_DIAMETER_M: 100 });
    expect(load({ KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' }).kafkaSasl).toBeNull();
  });

  it.each([
    [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'xx' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'xx' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_PASSWORD'],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'xx' }, 'KAFKA_SASL_MECHANISM'],
  ])('refuses an incomplete or unknown SASL login %j, naming %s', (env, setting) => {
    expect(() => load(env)).toThrow(PipelineError);
    expect(() => load(env)).toThrow(new RegExp(`^${setting}:`));
  });

  it('reads the registry login, both settings or neither, kept out of the service settings', () => {
    const password = randomBytes(12).toString('hex');
    const config = load({ SCHEMA_REGISTRY_USERNAME: 'schema-writer', SCHEMA_REGISTRY_PASSWORD: password });
    expect(config.schemaRegistryLogin).toEqual({ username: 'schema-writer', password });
    expect(config.settings).toEqual({ STOP_MAX_DIAMETER_M: 100 });
    expect(load({}).schemaRegistryLogin).toBeNull();
    expect(load({ SCHEMA_REGISTRY_USERNAME: '', SCHEMA_REGISTRY_PASSWORD: '' }).schemaRegistryLogin).toBeNull();
  });

  it.each([
    [{ SCHEMA_REGISTRY_USERNAME: 'schema-writer' }, 'SCHEMA_REGISTRY_PASSWORD'],
    [{ SCHEMA_REGISTRY_PASSWORD: randomBytes(12).toString('hex') }, 'SCHEMA_REGISTRY_USERNAME'],
  ])('refuses half a registry login %j, naming %s', (env, setting) => {
    expect(() => load(env)).toThrow(PipelineError);
    expect(() => load(env)).toThrow(new RegExp(`^${setting}:`));
  });

  it('reads every setting from the environment', () => {
    const config = load({
      KAFKA_BROKERS: 'kafka:9092, kafka2:9093',
      SCHEMA_REGISTRY_URL: 'http://registry:8080/apis/ccompat/v7/',
      PORT: '9000',
      HOST: '0.0.0.0',
      MAX_BODY_BYTES: '4096',
      LOG_LEVEL: 'debug',
      GROUP_ID: 'gps-2',
      ALLOWED_LATENESS_MS: '60000',
      IDLE_TIMEOUT_MS: '5000',
      MAX_FUTURE_MS: '900000',
      SCHEMAS_DIR: '/app/schemas',
      MODEL_PATH: '/models/m.json',
      STOP_MAX_DIAMETER_M: '3',
      PARTICIPANT_RETENTION_MS: '7200000',
    });
    expect(config).toMatchObject({
      kafkaBrokers: ['kafka:9092', 'kafka2:9093'],
      schemaRegistryUrl: 'http://registry:8080/apis/ccompat/v7',
      host: '0.0.0.0',
      port: 9000,
      maxBodyBytes: 4096,
      logLevel: 'debug',
      groupId: 'gps-2',
      allowedLatenessMs: 60_000,
      idleTimeoutMs: 5000,
      maxFutureMs: 900_000,
      schemasDir: '/app/schemas',
      participantRetentionMs: 7_200_000,
      settings: { MODEL_PATH: '/models/m.json', STOP_MAX_DIAMETER_M: 3 },
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ KAFKA_BROKERS: 'kafka' }, 'KAFKA_BROKERS'],
    [{ SCHEMA_REGISTRY_URL: 'registry:8080' }, 'SCHEMA_REGISTRY_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ IDLE_TIMEOUT_MS: '-1' }, 'IDLE_TIMEOUT_MS'],
    [{ MAX_FUTURE_MS: 'soon' }, 'MAX_FUTURE_MS'],
    [{ MAX_BODY_BYTES: '100' }, 'MAX_BODY_BYTES'],
    [{ MAX_BODY_BYTES: '1GB' }, 'MAX_BODY_BYTES'],
    [{ STOP_MAX_DIAMETER_M: '0' }, 'STOP_MAX_DIAMETER_M'],
    [{ STOP_MAX_DIAMETER_M: 'wide' }, 'STOP_MAX_DIAMETER_M'],
  ])('fails fast on %j, naming %s', (env, setting) => {
    let error: unknown;
    try {
      load(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('CONFIG_INVALID');
    expect((error as PipelineError).message.startsWith(`${setting}:`)).toBe(true);
  });
});
