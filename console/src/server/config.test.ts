import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { loadConsoleConfig, sessionKeyOf } from './config.js';

describe('loadConsoleConfig', () => {
  it('defaults: loopback, port 8010, the local researcher login, Europe/Paris, no tiles', () => {
    expect(loadConsoleConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8010,
      warehouseUrl: 'postgresql://researcher_login:researcher@127.0.0.1:5436/warehouse',
      timeZone: 'Europe/Paris',
      tileUrl: null,
      logLevel: 'info',
      review: null,
    });
  });

  it('enables review with a reviewers login: Kafka, the registry, the session settings', () => {
    const secret = randomBytes(24).toString('base64url');
    const config = loadConsoleConfig({ REVIEW_WAREHOUSE_URL: 'postgresql://app@127.0.0.1:5436/warehouse', KAFKA_BROKERS: 'k1:9092, k2:9093', SESSION_SECRET: secret });
    expect(config.review).toMatchObject({
      reviewersWarehouseUrl: 'postgresql://app@127.0.0.1:5436/warehouse',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      schemaRegistryLogin: null,
      sessionTtlS: 28_800,
      loginAttemptsPerMinute: 10,
    });
    // The same secret seals with the same key (sessions survive a restart); none: a random key each time.
    expect(config.review!.sessionKey).toHaveLength(32);
    expect(sessionKeyOf(secret).equals(config.review!.sessionKey)).toBe(true);
    expect(sessionKeyOf(undefined).equals(sessionKeyOf(undefined))).toBe(false);
  });

  it("reads the registry's login for the decisions' schema, both settings or neither, never echoing the password", () => {
    const password = randomBytes(12).toString('hex');
    const review = { REVIEW_WAREHOUSE_URL: 'postgresql://app@127.0.0.1:5436/warehouse' };
    expect(loadConsoleConfig({ ...review, SCHEMA_REGISTRY_USERNAME: 'schema-writer', SCHEMA_REGISTRY_PASSWORD: password }).review?.schemaRegistryLogin).toEqual({
      username: 'schema-writer',
      password,
    });
    expect(() => loadConsoleConfig({ ...review, SCHEMA_REGISTRY_PASSWORD: password })).toThrow(/^SCHEMA_REGISTRY_USERNAME: required with SCHEMA_REGISTRY_PASSWORD$/);
    expect(() => loadConsoleConfig({ ...review, SCHEMA_REGISTRY_USERNAME: 'schema-writer' })).toThrow(/^SCHEMA_REGISTRY_PASSWORD: required with SCHEMA_REGISTRY_USERNAME$/);
  });

  it('refuses a short session secret without echoing it', () => {
    const short = randomBytes(8).toString('hex');
    expect(() => loadConsoleConfig({ SESSION_SECRET: short })).toThrow(/^SESSION_SECRET: .*got 16 characters$/);
    expect(() => loadConsoleConfig({ SESSION_SECRET: short })).not.toThrow(new RegExp(short));
  });

  it('reads the settings from the environment; empty values take the defaults', () => {
    const config = loadConsoleConfig({ PORT: '8111', HOST: '', WAREHOUSE_URL: 'postgres://alice:x@db:5432/warehouse', TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' });
    expect(config).toMatchObject({ port: 8111, host: '127.0.0.1', warehouseUrl: 'postgres://alice:x@db:5432/warehouse', tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' });
  });

  it('fails with the name of the bad setting', () => {
    expect(() => loadConsoleConfig({ PORT: 'eighty' })).toThrow(/^PORT: /);
    expect(() => loadConsoleConfig({ WAREHOUSE_URL: 'mysql://x' })).toThrow(/^WAREHOUSE_URL: /);
    expect(() => loadConsoleConfig({ TILE_URL: 'https://tiles.example.org/no-placeholders.png' })).toThrow(/^TILE_URL: /);
    expect(() => loadConsoleConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/^TIME_ZONE: not an IANA time zone/);
  });
});
