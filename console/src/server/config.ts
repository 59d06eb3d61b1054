/**
 * The console's settings, read from the environment once at start and validated (env-schema, as
 * the services do), failing with the name of the bad setting. Tests pass an environment object.
 */
import { Type, type Static } from '@sinclair/typebox';
import envSchema from 'env-schema';

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
});

export interface ConsoleConfig {
  readonly host: string;
  readonly port: number;
  readonly warehouseUrl: string;
  readonly timeZone: string;
  /** Map tile template with {z}/{x}/{y}; null: no tiles (the default, and on machines without network). */
  readonly tileUrl: string | null;
  readonly logLevel: string;
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
    throw new ConsoleConfigError(name, `${first.message ?? 'invalid'}, got "${env[name] ?? ''}"`);
  }
  if (!isTimeZone(values.TIME_ZONE)) throw new ConsoleConfigError('TIME_ZONE', `not an IANA time zone, got "${values.TIME_ZONE}"`);
  return Object.freeze({
    host: values.HOST,
    port: values.PORT,
    warehouseUrl: values.WAREHOUSE_URL,
    timeZone: values.TIME_ZONE,
    tileUrl: values.TILE_URL ?? null,
    logLevel: values.LOG_LEVEL,
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
