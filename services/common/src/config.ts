/**
 * Service configuration: one schema, validated once at start, failing fast with the name of the
 * bad setting. Tests pass a config object instead of touching process.env.
 */
import { PipelineError } from './errors.js';

export interface ServiceConfig {
  /** Comma-separated `host:port` list. */
  readonly kafkaBrokers: readonly string[];
  /** Confluent-compatible API of the registry, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
  readonly schemaRegistryUrl: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Consumer group; defaults to the service name. */
  readonly groupId: string;
  /** How far behind a participant's newest event a record may arrive and still be on time, ms. */
  readonly allowedLatenessMs: number;
  /** Processing time without records after which a participant's open windows are flushed, ms. */
  readonly idleTimeoutMs: number;
  /** How far ahead of the processing clock an event time may be; beyond, the record is dead-lettered as `future`, ms. */
  readonly maxFutureMs: number;
  /** Folder of the .avsc files. */
  readonly schemasDir: string;
  /** Service-specific settings, already validated by the service. */
  readonly extra: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_SERVICE_CONFIG = Object.freeze({
  kafkaBrokers: '127.0.0.1:9092',
  schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
  host: '0.0.0.0',
  logLevel: 'info',
  allowedLatenessMs: 120_000, // DESIGN.md §4: 2 min
  idleTimeoutMs: 30_000, // DESIGN.md §4: 30 s
  maxFutureMs: 600_000, // DESIGN.md §4, time sanity: 10 min
});

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function invalid(name: string, reason: string): never {
  throw new PipelineError('CONFIG_INVALID', `${name}: ${reason}`, { setting: name });
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) invalid(name, `expected an integer in ${min}..${max}, got "${text}"`);
  return value;
}

/**
 * Reads the settings every service shares from the environment.
 *
 * @param defaultPort the service's port from DESIGN.md §2
 * @param schemasDir where the .avsc files are, unless SCHEMAS_DIR says otherwise
 * @param extraNames service-specific variables copied into `extra`
 */
export function loadServiceConfig(
  serviceName: string,
  defaultPort: number,
  schemasDir: string,
  env: NodeJS.ProcessEnv = process.env,
  extraNames: readonly string[] = [],
): ServiceConfig {
  const brokers = (env.KAFKA_BROKERS ?? DEFAULT_SERVICE_CONFIG.kafkaBrokers).split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    invalid('KAFKA_BROKERS', `expected host:port[,host:port…], got "${env.KAFKA_BROKERS}"`);
  }
  const registry = env.SCHEMA_REGISTRY_URL ?? DEFAULT_SERVICE_CONFIG.schemaRegistryUrl;
  if (!/^https?:\/\/\S+$/.test(registry)) invalid('SCHEMA_REGISTRY_URL', `expected an http(s) URL, got "${registry}"`);
  const logLevel = env.LOG_LEVEL ?? DEFAULT_SERVICE_CONFIG.logLevel;
  if (!LOG_LEVELS.has(logLevel)) invalid('LOG_LEVEL', `expected one of ${[...LOG_LEVELS].join(', ')}, got "${logLevel}"`);
  const extra: Record<string, string | undefined> = {};
  for (const name of extraNames) extra[name] = env[name];
  return Object.freeze({
    kafkaBrokers: brokers,
    schemaRegistryUrl: registry.replace(/\/$/, ''),
    host: env.HOST ?? DEFAULT_SERVICE_CONFIG.host,
    port: integer(env, 'PORT', defaultPort, 1, 65535),
    logLevel: logLevel as ServiceConfig['logLevel'],
    groupId: env.GROUP_ID ?? serviceName,
    allowedLatenessMs: integer(env, 'ALLOWED_LATENESS_MS', DEFAULT_SERVICE_CONFIG.allowedLatenessMs, 0, 86_400_000),
    idleTimeoutMs: integer(env, 'IDLE_TIMEOUT_MS', DEFAULT_SERVICE_CONFIG.idleTimeoutMs, 100, 86_400_000),
    maxFutureMs: integer(env, 'MAX_FUTURE_MS', DEFAULT_SERVICE_CONFIG.maxFutureMs, 0, 7 * 86_400_000),
    schemasDir: env.SCHEMAS_DIR ?? schemasDir,
    extra: Object.freeze(extra),
  });
}
