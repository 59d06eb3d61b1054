/**
 * Service configuration: one schema per service (the settings every service shares, plus its
 * own, algorithm parameters included), read from the environment by env-schema, validated once at
 * start and failing fast with the name of the bad setting. Tests pass an environment object
 * instead of touching process.env.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import envSchema from 'env-schema';
import type { RegistryLogin } from './codec.js';
import { PipelineError } from './errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** SASL mechanisms a service may log in with, as kafkajs names them. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512'] as const;

type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** A SASL login to the brokers (kafkajs' `sasl` option), one member per mechanism. */
export type KafkaSasl = { [M in KafkaSaslMechanism]: { readonly mechanism: M; readonly username: string; readonly password: string } }[KafkaSaslMechanism];

/** The settings every service reads (docs/design.md §4 for the stream's). */
export const SHARED_SETTINGS = Type.Object({
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092', pattern: '^\\s*[^:\\s,]+:\\d+\\s*(,\\s*[^:\\s,]+:\\d+\\s*)*$', description: 'host:port[,host:port…]' }),
  // SASL login to the brokers (the Compose stack's SCRAM listeners); unset: PLAINTEXT, as the embedded stack on 127.0.0.1.
  KAFKA_SASL_MECHANISM: Type.Optional(Type.Union(KAFKA_SASL_MECHANISMS.map((m) => Type.Literal(m)))),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  SCHEMA_REGISTRY_URL: Type.String({ default: 'http://127.0.0.1:8081/apis/ccompat/v7', pattern: '^https?://\\S+$', description: "the registry's Confluent-compatible API" }),
  // The registry's login (HTTP Basic), both or neither: registering the output schemas needs it; unset: no login is sent.
  SCHEMA_REGISTRY_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  SCHEMA_REGISTRY_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  // Loopback unless an operator says otherwise (docs/design.md §7); containers set 0.0.0.0.
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: "default: the service's port in the registry of services" })),
  MAX_BODY_BYTES: Type.Integer({ default: 16_384, minimum: 1_024, maximum: 1_048_576, description: 'bytes of a request body; larger ones are answered 413' }),
  LOG_LEVEL: Type.Union(LOG_LEVELS.map((level) => Type.Literal(level)), { default: 'info' }),
  GROUP_ID: Type.Optional(Type.String({ minLength: 1, description: 'consumer group; default: the service name' })),
  ALLOWED_LATENESS_MS: Type.Integer({ default: 120_000, minimum: 0, maximum: 86_400_000, description: 'ms' }),
  IDLE_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 86_400_000, description: 'ms' }),
  MAX_FUTURE_MS: Type.Integer({ default: 600_000, minimum: 0, maximum: 7 * 86_400_000, description: 'ms ahead of the processing clock' }),
  PARTICIPANT_RETENTION_MS: Type.Optional(
    Type.Integer({ minimum: 60_000, maximum: 30 * 86_400_000, description: "ms a silent participant's state is kept; default: the stage's own" }),
  ),
  SCHEMAS_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

export interface ServiceConfig<S = Record<string, never>> {
  readonly kafkaBrokers: readonly string[];
  /** SASL login to the brokers; null: PLAINTEXT. */
  readonly kafkaSasl: KafkaSasl | null;
  /** Confluent-compatible API of the registry, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  readonly schemaRegistryUrl: string;
  /** The registry's login; null: none sent (a registry that lets anyone register). */
  readonly schemaRegistryLogin: RegistryLogin | null;
  readonly host: string;
  readonly port: number;
  /** Largest request body the HTTP routes accept, bytes (Fastify's bodyLimit). */
  readonly maxBodyBytes: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Consumer group; defaults to the service name. */
  readonly groupId: string;
  /** How far behind a participant's newest event a record may arrive and still be on time, ms. */
  readonly allowedLatenessMs: number;
  /** Processing time without records after which a participant's open windows are flushed, ms. */
  readonly idleTimeoutMs: number;
  /** How far ahead of the processing clock an event time may be; beyond, the record is dead-lettered as `future`, ms. */
  readonly maxFutureMs: number;
  /** Processing time a silent participant's state is kept, ms; undefined: the stage's default. */
  readonly participantRetentionMs: number | undefined;
  /** Folder of the .avsc files. */
  readonly schemasDir: string;
  /** The service's own settings, validated by its schema. */
  readonly settings: Readonly<S>;
}

function invalid(name: string, reason: string): never {
  throw new PipelineError('CONFIG_INVALID', `${name}: ${reason}`, { setting: name });
}

/** All three SASL settings or none: a user name without a mechanism is a mistake, not PLAINTEXT. */
function saslOf(mechanism: KafkaSaslMechanism | undefined, username: string | undefined, password: string | undefined): KafkaSasl | null {
  if (mechanism === undefined && username === undefined && password === undefined) return null;
  if (mechanism === undefined) invalid('KAFKA_SASL_MECHANISM', `required with KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD, one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
  if (username === undefined) invalid('KAFKA_SASL_USERNAME', `required with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (password === undefined) invalid('KAFKA_SASL_PASSWORD', `required with KAFKA_SASL_MECHANISM=${mechanism}`);
  // One literal per member of the union, so each is typed with its own mechanism.
  return Object.freeze(mechanism === 'scram-sha-256' ? { mechanism, username, password } : { mechanism, username, password });
}

/** Both registry settings or neither: a user name without its password is a mistake, not "no login". */
export function registryLoginOf(username: string | undefined, password: string | undefined): RegistryLogin | null {
  if (username === undefined && password === undefined) return null;
  if (username === undefined) invalid('SCHEMA_REGISTRY_USERNAME', 'required with SCHEMA_REGISTRY_PASSWORD');
  if (password === undefined) invalid('SCHEMA_REGISTRY_PASSWORD', 'required with SCHEMA_REGISTRY_USERNAME');
  return Object.freeze({ username, password });
}

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: { readonly missingProperty?: string };
}

/**
 * Reads a service's settings from the environment.
 *
 * @param defaultPort the service's port from the registry of services
 * @param schemasDir where the .avsc files are, unless SCHEMAS_DIR says otherwise
 * @param own the service's own settings (a TypeBox object schema), returned in `settings`
 */
export function loadServiceConfig<P extends TProperties = Record<string, never>>(
  serviceName: string,
  defaultPort: number,
  schemasDir: string,
  env: NodeJS.ProcessEnv = process.env,
  own: TObject<P> = Type.Object({}) as unknown as TObject<P>,
): ServiceConfig<Static<TObject<P>>> {
  const schema = Type.Composite([SHARED_SETTINGS, own]);
  // Unset and empty variables take the defaults.
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  let values: Static<typeof SHARED_SETTINGS> & Static<TObject<P>>;
  try {
    values = envSchema({ schema, data, dotenv: false }) as typeof values;
  } catch (err) {
    const errors = (err as { errors?: readonly SchemaError[] }).errors ?? [];
    const first = errors[0];
    if (first === undefined) throw err;
    const name = first.params?.missingProperty ?? first.instancePath.replace(/^\//, '');
    invalid(name, `${first.message ?? 'invalid'}, got "${env[name] ?? ''}"`);
  }
  const kafkaSasl = saslOf(values.KAFKA_SASL_MECHANISM, values.KAFKA_SASL_USERNAME, values.KAFKA_SASL_PASSWORD);
  const shared = new Set(Object.keys(SHARED_SETTINGS.properties));
  const settings = Object.fromEntries(Object.entries(values).filter(([key]) => !shared.has(key))) as Static<TObject<P>>;
  return Object.freeze({
    kafkaBrokers: values.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    kafkaSasl,
    schemaRegistryUrl: values.SCHEMA_REGISTRY_URL.replace(/\/$/, ''),
    schemaRegistryLogin: registryLoginOf(values.SCHEMA_REGISTRY_USERNAME, values.SCHEMA_REGISTRY_PASSWORD),
    host: values.HOST,
    port: values.PORT ?? defaultPort,
    maxBodyBytes: values.MAX_BODY_BYTES,
    logLevel: values.LOG_LEVEL,
    groupId: values.GROUP_ID ?? serviceName,
    allowedLatenessMs: values.ALLOWED_LATENESS_MS,
    idleTimeoutMs: values.IDLE_TIMEOUT_MS,
    maxFutureMs: values.MAX_FUTURE_MS,
    participantRetentionMs: values.PARTICIPANT_RETENTION_MS,
    schemasDir: values.SCHEMAS_DIR ?? schemasDir,
    settings: Object.freeze(settings),
  });
}
