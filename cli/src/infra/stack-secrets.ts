/**
 * Passwords the embedded stack makes for itself (docs/design.md §7, least privilege): each
 * PostgreSQL superuser's, one per job role, the Connect REST login and the schema registry's
 * writer. Each is a 0600 file in
 * .polluscope/secrets/ (0700), drawn at random the first time `infra up` needs it and read from
 * there afterwards, so no two doors share a key and none is in the repository.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryLogin } from '@polluscope/common';
import type { StackConfig } from './stack-config.js';

export type JobRoleName = 'cdc' | 'sinkPoints' | 'sinkSegments' | 'sinkReviews' | 'sinkEpisodes' | 'sinkExposure' | 'api';

export interface JobRole {
  /** PostgreSQL role name; the same in docker-compose.infra.yml. */
  readonly role: string;
  readonly cluster: 'rawdata' | 'warehouse';
  /** Variable that carries its password to Kafka Connect's connector files or to a service. */
  readonly passwordEnv: string;
  readonly job: string;
}

/** One role per job; the privileges are in infrastructure/postgres/<cluster>/*-job-roles.sql. */
export const JOB_ROLES: Readonly<Record<JobRoleName, JobRole>> = Object.freeze({
  cdc: { role: 'polluscope_cdc', cluster: 'rawdata', passwordEnv: 'POLLUSCOPE_PG_CDC_PASSWORD', job: 'the change-data-capture source (Debezium)' },
  sinkPoints: { role: 'polluscope_sink_points', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_SINK_POINTS_PASSWORD', job: 'warehouse-sink-points' },
  sinkSegments: { role: 'polluscope_sink_segments', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD', job: 'warehouse-sink-segments' },
  sinkReviews: { role: 'polluscope_sink_reviews', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD', job: 'warehouse-sink-reviews' },
  sinkEpisodes: { role: 'polluscope_sink_episodes', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_SINK_EPISODES_PASSWORD', job: 'warehouse-sink-episodes' },
  sinkExposure: { role: 'polluscope_sink_exposure', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD', job: 'warehouse-sink-exposure' },
  api: { role: 'polluscope_api', cluster: 'warehouse', passwordEnv: 'POLLUSCOPE_PG_API_PASSWORD', job: "postprocessing's review API (read-only)" },
});

/** The Connect REST API's one account (PropertyFileLoginModule). */
export const CONNECT_REST_USER = 'polluscope-admin';

export function secretsDir(config: StackConfig): string {
  return join(config.home, 'secrets');
}

function secretFile(config: StackConfig, name: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`secret name "${name}": lower-case letters, digits and '-' only`);
  return join(secretsDir(config), name);
}

/** Letters and digits only: the value goes into URLs, JAAS and property files unescaped. */
function newPassword(): string {
  return randomBytes(24).toString('hex');
}

export function secretExists(config: StackConfig, name: string): boolean {
  return existsSync(secretFile(config, name));
}

/** The secret's value, drawn and stored the first time it is asked for. */
export function ensureSecret(config: StackConfig, name: string): string {
  const dir = secretsDir(config);
  // Only the secrets folder is closed: .polluscope itself must stay passable for the databases' account.
  mkdirSync(config.home, { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = secretFile(config, name);
  if (existsSync(file)) return readSecret(config, name);
  writeFileSync(file, `${newPassword()}\n`, { mode: 0o600, flag: 'wx' });
  return readSecret(config, name);
}

/** The secret's value; a clear error when `infra up` has not made it yet or its file is open to others. */
export function readSecret(config: StackConfig, name: string): string {
  const file = secretFile(config, name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx polluscope infra up\` first (it creates the stack's passwords)`);
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}): chmod 600 it`);
  const value = readFileSync(file, 'utf8').trim();
  if (value === '') throw new Error(`${file} is empty: delete it and run \`npx polluscope infra up\``);
  return value;
}

export const superuserSecretName = (cluster: string): string => `postgres-${cluster}-superuser`;
export const jobRoleSecretName = (name: JobRoleName): string => `pg-${JOB_ROLES[name].role.replaceAll('_', '-')}`;
export const CONNECT_REST_ACCOUNT_FILE = 'connect-rest-admin';

/** Every job role's password, made if missing. */
export function ensureJobRolePasswords(config: StackConfig): Record<JobRoleName, string> {
  const names = Object.keys(JOB_ROLES) as JobRoleName[];
  return Object.fromEntries(names.map((n) => [n, ensureSecret(config, jobRoleSecretName(n))])) as Record<JobRoleName, string>;
}

export function readJobRolePassword(config: StackConfig, name: JobRoleName): string {
  return readSecret(config, jobRoleSecretName(name));
}

export interface ConnectRestLogin {
  readonly user: string;
  readonly password: string;
}

export function readConnectRestLogin(config: StackConfig): ConnectRestLogin {
  return { user: CONNECT_REST_USER, password: readSecret(config, CONNECT_REST_ACCOUNT_FILE) };
}

/** The Authorization header of a request to the Connect REST API. */
export function basicAuthorization(login: ConnectRestLogin): string {
  return `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`;
}

/** Where Kafka Connect's REST API answers and the login it asks for. */
export interface ConnectRest {
  readonly url: string;
  readonly authorization: string;
}

export function connectRest(config: StackConfig): ConnectRest {
  return { url: `http://${config.host}:${config.ports.connect}`, authorization: basicAuthorization(readConnectRestLogin(config)) };
}

/** The login the shell scripts (registration, watchdog) pass to curl; made if missing, as for the worker. */
export function connectRestLoginEnv(config: StackConfig): NodeJS.ProcessEnv {
  const login = { user: CONNECT_REST_USER, password: ensureSecret(config, CONNECT_REST_ACCOUNT_FILE) };
  return { POLLUSCOPE_CONNECT_REST_USER: login.user, POLLUSCOPE_CONNECT_REST_PASSWORD: login.password };
}

/** The schema registry's one account: it registers schemas; reading them needs no login. */
export const REGISTRY_WRITER_USER = 'schema-writer';
export const REGISTRY_WRITER_ACCOUNT_FILE = 'registry-schema-writer';

/** The registry writer's login, made if missing (the registry itself and the scripts `infra up` runs). */
export function ensureRegistryLogin(config: StackConfig): RegistryLogin {
  return { username: REGISTRY_WRITER_USER, password: ensureSecret(config, REGISTRY_WRITER_ACCOUNT_FILE) };
}

/** The registry writer's login for a client of a running stack (services, console, CLI commands). */
export function readRegistryLogin(config: StackConfig): RegistryLogin {
  return { username: REGISTRY_WRITER_USER, password: readSecret(config, REGISTRY_WRITER_ACCOUNT_FILE) };
}

/** The login as the shell scripts and Connect's connector files read it (POLLUSCOPE_REGISTRY_*). */
export function registryLoginEnv(login: RegistryLogin): NodeJS.ProcessEnv {
  return { POLLUSCOPE_REGISTRY_USER: login.username, POLLUSCOPE_REGISTRY_PASSWORD: login.password };
}

/** The login as a service or the console reads it (SCHEMA_REGISTRY_USERNAME, SCHEMA_REGISTRY_PASSWORD). */
export function schemaRegistryClientEnv(login: RegistryLogin): NodeJS.ProcessEnv {
  return { SCHEMA_REGISTRY_USERNAME: login.username, SCHEMA_REGISTRY_PASSWORD: login.password };
}

/** A job role's connection string to its database (the services' WAREHOUSE_URL, the security tests). */
export function jobRoleUrl(config: StackConfig, name: JobRoleName): string {
  const job = JOB_ROLES[name];
  const password = encodeURIComponent(readJobRolePassword(config, name));
  return `postgresql://${encodeURIComponent(job.role)}:${password}@${config.host}:${config.ports[job.cluster]}/${job.cluster}`;
}
