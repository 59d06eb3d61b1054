/**
 * The console's settings, read from the environment once at start and validated (env-schema, as
 * the services do), failing with the name of the bad setting. Tests pass an environment object.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import envSchema from 'env-schema';
import type { RegistryLogin } from '@polluscope/common';

export const CONSOLE_SETTINGS = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'address to listen on (loopback unless an operator opens it)' }),
  PORT: Type.Integer({ default: 8010, minimum: 0, maximum: 65535, description: 'TCP port; 0 picks a free one' }),
  WAREHOUSE_URL: Type.String({
    default: 'postgresql://researcher_login:researcher@127.0.0.1:5436/warehouse',
    pattern: '^postgres(ql)?://\\S+$',
    description: "a read-only (researcher) login to the warehouse; the default is local development's",
  }),
  TIME_ZONE: Type.String({ default: 'Europe/Paris', minLength: 1, description: 'IANA zone of the local days' }),
  TILE_URL: Type.Optional(
    Type.String({ pattern: '^https?://\\S*\\{z\\}\\S*$', description: 'map tiles, e.g. https://tile.example.org/{z}/{x}/{y}.png; unset: the study grid on a plain background' }),
  ),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), { default: 'info' }),
  REVIEW_WAREHOUSE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://\\S+$',
      description: "a warehouse login that may read the table reviewers (the application role), for reviewers' login; unset: no review queue, the console is read-only",
    }),
  ),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092', pattern: '^\\s*[^:\\s,]+:\\d+\\s*(,\\s*[^:\\s,]+:\\d+\\s*)*$', description: 'host:port[,host:port…], where review decisions are produced' }),
  SCHEMA_REGISTRY_URL: Type.String({ default: 'http://127.0.0.1:8081/apis/ccompat/v7', pattern: '^https?://\\S+$', description: "the registry's Confluent-compatible API" }),
  // The registry's login (HTTP Basic), both or neither: registering the decisions' schema needs it.
  SCHEMA_REGISTRY_USERNAME: Type.Optional(Type.String({ minLength: 1, description: "the registry's writer account; unset: no login sent" })),
  SCHEMA_REGISTRY_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'its password' })),
  SESSION_SECRET: Type.Optional(
    Type.String({ minLength: 32, description: 'at least 32 characters of randomness the session cookies are sealed with; unset: random at each start (sessions end with the process)' }),
  ),
  SESSION_TTL_S: Type.Integer({ default: 28_800, minimum: 60, maximum: 604_800, description: "a reviewer's session, seconds (8 h)" }),
  LOGIN_ATTEMPTS_PER_MINUTE: Type.Integer({ default: 10, minimum: 1, maximum: 1000, description: 'login attempts per client address and minute; more answer 429' }),
});

/** What the review queue and reviewers' login need; null when REVIEW_WAREHOUSE_URL is unset. */
export interface ConsoleReviewConfig {
  readonly reviewersWarehouseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The registry's login; null: none sent. */
  readonly schemaRegistryLogin: RegistryLogin | null;
  /** 32 bytes sealing the session cookies: from SESSION_SECRET, or random. */
  readonly sessionKey: Buffer;
  readonly sessionTtlS: number;
  readonly loginAttemptsPerMinute: number;
}

export interface ConsoleConfig {
  readonly host: string;
  readonly port: number;
  readonly warehouseUrl: string;
  readonly timeZone: string;
  /** Map tile template with {z}/{x}/{y}; null: no tiles (the default, and on machines without network). */
  readonly tileUrl: string | null;
  readonly logLevel: string;
  readonly review: ConsoleReviewConfig | null;
}

export class ConsoleConfigError extends Error {
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`${setting}: ${reason}`);
    this.name = 'ConsoleConfigError';
  }
}

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: { readonly missingProperty?: string };
}

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  // Unset and empty variables take the defaults.
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  let values: Static<typeof CONSOLE_SETTINGS>;
  try {
    values = envSchema({ schema: CONSOLE_SETTINGS, data, dotenv: false }) as typeof values;
  } catch (err) {
    const first = ((err as { errors?: readonly SchemaError[] }).errors ?? [])[0];
    if (first === undefined) throw err;
    const name = first.params?.missingProperty ?? first.instancePath.replace(/^\//, '');
    // A secret is never echoed, only its length.
    const got = name === 'SESSION_SECRET' || name === 'SCHEMA_REGISTRY_PASSWORD' ? `${(env[name] ?? '').length} characters` : `"${env[name] ?? ''}"`;
    throw new ConsoleConfigError(name, `${first.message ?? 'invalid'}, got ${got}`);
  }
  const username = values.SCHEMA_REGISTRY_USERNAME;
  const password = values.SCHEMA_REGISTRY_PASSWORD;
  if (username === undefined && password !== undefined) throw new ConsoleConfigError('SCHEMA_REGISTRY_USERNAME', 'required with SCHEMA_REGISTRY_PASSWORD');
  if (username !== undefined && password === undefined) throw new ConsoleConfigError('SCHEMA_REGISTRY_PASSWORD', 'required with SCHEMA_REGISTRY_USERNAME');
  if (!isTimeZone(values.TIME_ZONE)) throw new ConsoleConfigError('TIME_ZONE', `not an IANA time zone, got "${values.TIME_ZONE}"`);
  return Object.freeze({
    host: values.HOST,
    port: values.PORT,
    warehouseUrl: values.WAREHOUSE_URL,
    timeZone: values.TIME_ZONE,
    tileUrl: values.TILE_URL ?? null,
    logLevel: values.LOG_LEVEL,
    review:
      values.REVIEW_WAREHOUSE_URL === undefined
        ? null
        : Object.freeze({
            reviewersWarehouseUrl: values.REVIEW_WAREHOUSE_URL,
            kafkaBrokers: values.KAFKA_BROKERS.split(',').map((b) => b.trim()),
            schemaRegistryUrl: values.SCHEMA_REGISTRY_URL.replace(/\/$/, ''),
            schemaRegistryLogin: username === undefined || password === undefined ? null : Object.freeze({ username, password }),
            sessionKey: sessionKeyOf(values.SESSION_SECRET),
            sessionTtlS: values.SESSION_TTL_S,
            loginAttemptsPerMinute: values.LOGIN_ATTEMPTS_PER_MINUTE,
          }),
  });
}

/**
 * The sealing key (crypto_secretbox: 32 bytes) from the secret setting through HKDF-SHA-256, or
 * random when it is unset: then no key exists anywhere but in this process.
 */
export function sessionKeyOf(secret: string | undefined): Buffer {
  if (secret === undefined) return randomBytes(32);
  return Buffer.from(hkdfSync('sha256', secret, 'polluscope-console', 'session cookie key', 32));
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
