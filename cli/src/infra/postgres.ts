/**
 * The two PostgreSQL 15 + PostGIS clusters of the embedded stack (docs/design.md §3.1, §3.3), created
 * with initdb in project-local data folders and initialised from infrastructure/postgres/<db>/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { StackConfig } from './stack-config.js';
import { ensureDebianPackages, isRoot } from './debian-packages.js';
import { ensureJobRolePasswords, ensureSecret, secretExists, JOB_ROLES, readSecret, superuserSecretName, type JobRole, type JobRoleName } from './stack-secrets.js';

export type ClusterName = 'rawdata' | 'warehouse';

export interface ClusterSpec {
  readonly name: ClusterName;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  /** Extra server settings appended to postgresql.conf. */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * Settings a reload applies, set with ALTER SYSTEM on every `up`: clusters created before they
   * were added get them too.
   */
  readonly reloadableSettings: Readonly<Record<string, string>>;
}

/**
 * Bulk loads (load-csv) write 300-360 MB of WAL per million rows. With the default max_wal_size
 * of 1 GB a checkpoint is requested every ~540 MB of WAL, so during loads they ran back to back
 * (18 in an hour of benchmarks), each writing out dirty buffers and followed by full-page images
 * of the pages touched next. 4 GB spaces them by ~6 million rows; crash recovery may replay that
 * much, which a development stack can afford.
 */
const BULK_LOAD_SETTINGS = { max_wal_size: '4GB', checkpoint_timeout: '15min' } as const;

/**
 * Caps the WAL the CDC slot may hold while Connect is down: about 12 million loaded rows. Past it
 * PostgreSQL invalidates the slot (the source then needs a new snapshot) instead of filling the
 * disk. Same value as the rawdata command of docker-compose.infra.yml; the SlotWalHigh alert fires at half.
 */
export const MAX_SLOT_WAL_KEEP_SIZE = '4GB';

export function clusterSpecs(config: StackConfig): readonly ClusterSpec[] {
  return [
    {
      name: 'rawdata',
      port: config.ports.rawdata,
      dataDir: join(config.dataDir, 'pg-rawdata'),
      logFile: join(config.logDir, 'pg-rawdata.log'),
      // Logical decoding feeds the change-data-capture source.
      settings: { wal_level: 'logical', max_wal_senders: '10', max_replication_slots: '10' },
      reloadableSettings: { ...BULK_LOAD_SETTINGS, max_slot_wal_keep_size: MAX_SLOT_WAL_KEEP_SIZE },
    },
    {
      name: 'warehouse',
      port: config.ports.warehouse,
      dataDir: join(config.dataDir, 'pg-warehouse'),
      logFile: join(config.logDir, 'pg-warehouse.log'),
      settings: {},
      reloadableSettings: {},
    },
  ];
}

const SUPERUSER = 'postgres';

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres system user. */
function runPgTool(config: StackConfig, tool: string, args: readonly string[]): { status: number | null; output: string } {
  const binary = join(config.postgresBin, tool);
  const [command, fullArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
  const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Installs PostgreSQL 15 and PostGIS from Debian's packages when they are missing. */
export function ensurePostgresInstalled(config: StackConfig, log: (line: string) => void): void {
  // The control file comes with postgresql-15-postgis-3-scripts, the library with postgresql-15-postgis-3: both are needed.
  const postgis = ['/usr/share/postgresql/15/extension/postgis.control', '/usr/lib/postgresql/15/lib/postgis-3.so'];
  ensureDebianPackages(
    ['postgresql-15', 'postgresql-15-postgis-3'],
    () => existsSync(join(config.postgresBin, 'initdb')) && postgis.every((file) => existsSync(file)),
    'PostgreSQL 15 with PostGIS',
    log,
  );
}

function giveToPostgres(path: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(path, uid, gid);
}

function ensureOwnedByPostgres(dir: string): void {
  mkdirSync(dir, { recursive: true });
  giveToPostgres(dir);
}

/** The 0700 folder of the cluster's Unix socket: only its owner (and root) may reach the socket. */
export function socketDir(config: StackConfig, spec: ClusterSpec): string {
  return join(config.runDir, `pg-${spec.name}`);
}

function ensureSocketDir(config: StackConfig, spec: ClusterSpec): void {
  const dir = socketDir(config, spec);
  // The run folder keeps its usual mode: the server's account must pass through it to its own.
  mkdirSync(config.runDir, { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  giveToPostgres(dir);
}

/**
 * pg_hba.conf, rewritten before every start: a password (scram-sha-256) on every connection, the
 * Unix socket included; replication only for the CDC role, from the stack's own address.
 */
export function accessRules(config: StackConfig, spec: ClusterSpec): string {
  const lines = [
    '# Written by polluscope infra up (cli/src/infra/postgres.ts); edits are replaced at the next start.',
    '# TYPE  DATABASE     USER  ADDRESS  METHOD',
    'local   all          all            scram-sha-256',
    `host    all          all   ${config.host}/32  scram-sha-256`,
  ];
  if (spec.name === 'rawdata') lines.push(`host    replication  ${JOB_ROLES.cdc.role}  ${config.host}/32  scram-sha-256`);
  return `${lines.join('\n')}\n`;
}

/** Settings polluscope owns, in a file postgresql.conf includes last, so they win on every start. */
function managedSettings(config: StackConfig, spec: ClusterSpec): string {
  return [
    '# Written by polluscope infra up (cli/src/infra/postgres.ts) before every start.',
    `listen_addresses = '${config.host}'`,
    `unix_socket_directories = '${socketDir(config, spec).replaceAll("'", "''")}'`,
    "unix_socket_permissions = 0700",
    "password_encryption = 'scram-sha-256'",
    // What each statement costs (bench:e2e reads it); loaded at start, so a running cluster needs a restart.
    "shared_preload_libraries = 'pg_stat_statements'",
    '',
  ].join('\n');
}

const MANAGED_CONF = 'polluscope.conf';

/** Access rules and managed settings, written before each start (clusters made before them get them too). */
function writeManagedFiles(config: StackConfig, spec: ClusterSpec): void {
  ensureSocketDir(config, spec);
  const hba = join(spec.dataDir, 'pg_hba.conf');
  writeFileSync(hba, accessRules(config, spec));
  giveToPostgres(hba);
  const managed = join(spec.dataDir, MANAGED_CONF);
  writeFileSync(managed, managedSettings(config, spec));
  giveToPostgres(managed);
  const confFile = join(spec.dataDir, 'postgresql.conf');
  const conf = readFileSync(confFile, 'utf8');
  const include = `include_if_exists = '${MANAGED_CONF}'`;
  if (!conf.includes(include)) writeFileSync(confFile, `${conf}\n${include}\n`);
}

/** Creates the cluster's data folder with initdb, once, its superuser's password drawn at random. */
export function initCluster(config: StackConfig, spec: ClusterSpec): boolean {
  if (existsSync(join(spec.dataDir, 'PG_VERSION'))) return false;
  ensureOwnedByPostgres(config.dataDir);
  ensureOwnedByPostgres(spec.dataDir);
  const superuserPassword = ensureSecret(config, superuserSecretName(spec.name));
  // initdb reads the password from a file the postgres user can read; removed right after.
  const pwFile = join(spec.dataDir, '..', `.${spec.name}-pw`);
  writeFileSync(pwFile, `${superuserPassword}\n`, { mode: 0o600 });
  giveToPostgres(pwFile);
  const init = runPgTool(config, 'initdb', [
    '-D', spec.dataDir, '-U', SUPERUSER, '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
  ]);
  rmSync(pwFile, { force: true });
  if (init.status !== 0) throw new Error(`initdb of ${spec.name} failed:\n${init.output}`);
  const settings = {
    port: String(spec.port),
    fsync: 'on',
    ...spec.settings,
  };
  const conf = Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n');
  writeFileSync(join(spec.dataDir, 'postgresql.conf'), `${readFileSync(join(spec.dataDir, 'postgresql.conf'), 'utf8')}\n# polluscope\n${conf}\n`);
  return true;
}

export function clusterRunning(config: StackConfig, spec: ClusterSpec): boolean {
  if (!existsSync(join(spec.dataDir, 'PG_VERSION'))) return false;
  return runPgTool(config, 'pg_ctl', ['status', '-D', spec.dataDir]).status === 0;
}

export function startCluster(config: StackConfig, spec: ClusterSpec): void {
  if (clusterRunning(config, spec)) return;
  ensureOwnedByPostgres(config.logDir);
  writeManagedFiles(config, spec);
  const result = runPgTool(config, 'pg_ctl', ['start', '-w', '-t', '60', '-D', spec.dataDir, '-l', spec.logFile]);
  if (result.status !== 0) throw new Error(`PostgreSQL ${spec.name} did not start (log: ${spec.logFile}):\n${result.output}`);
}

export function stopCluster(config: StackConfig, spec: ClusterSpec): boolean {
  if (!clusterRunning(config, spec)) return false;
  const result = runPgTool(config, 'pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', spec.dataDir]);
  if (result.status !== 0) throw new Error(`PostgreSQL ${spec.name} did not stop:\n${result.output}`);
  return true;
}

async function withClient<T>(config: StackConfig, spec: ClusterSpec, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const password = readSecret(config, superuserSecretName(spec.name));
  const client = new pg.Client({ host: config.host, port: spec.port, database, user: SUPERUSER, password });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Clusters made before the superuser had its own password shared the application role's: the
 * first `up` after the change draws one, sets it with the old, and keeps it in the secrets folder.
 */
async function ensureOwnSuperuserPassword(config: StackConfig, spec: ClusterSpec): Promise<void> {
  const name = superuserSecretName(spec.name);
  if (secretExists(config, name)) return;
  const client = new pg.Client({ host: config.host, port: spec.port, database: 'postgres', user: SUPERUSER, password: config.pgPassword });
  await client.connect();
  try {
    const password = ensureSecret(config, name);
    await setPassword(client, SUPERUSER, password);
  } finally {
    await client.end();
  }
}

/** ALTER ROLE … LOGIN PASSWORD with both values bound as parameters and quoted by the server's format(). */
async function setPassword(client: pg.Client, role: string, password: string): Promise<void> {
  const { rows } = await client.query('SELECT format($1, $2::text, $3::text) AS sql', ['ALTER ROLE %I LOGIN PASSWORD %L', role, password]);
  await client.query(rows[0].sql);
}

/**
 * Creates the application role and database, then applies infrastructure/postgres/<name>/*.sql
 * in order. The scripts are idempotent, so this runs on every `up`.
 */
export async function provisionCluster(config: StackConfig, spec: ClusterSpec): Promise<void> {
  await ensureOwnSuperuserPassword(config, spec);
  await withClient(config, spec, 'postgres', async (client) => {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [config.pgUser]);
    if (role.rowCount === 0) {
      // Identifiers cannot be bound as parameters: quote them with the server's own function.
      const { rows } = await client.query('SELECT format($1, $2::text, $3::text) AS sql', [
        'CREATE ROLE %I LOGIN PASSWORD %L',
        config.pgUser,
        config.pgPassword,
      ]);
      await client.query(rows[0].sql);
    }
    // ALTER SYSTEM is idempotent; the reload applies what changed.
    const settings = Object.entries(spec.reloadableSettings);
    for (const [name, value] of settings) {
      const { rows } = await client.query('SELECT format($1, $2::text, $3::text) AS sql', ['ALTER SYSTEM SET %I = %L', name, value]);
      await client.query(rows[0].sql);
    }
    if (settings.length > 0) await client.query('SELECT pg_reload_conf()');
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.name]);
    if (db.rowCount === 0) {
      const { rows } = await client.query('SELECT format($1, $2::text, $3::text) AS sql', ['CREATE DATABASE %I OWNER %I', spec.name, config.pgUser]);
      await client.query(rows[0].sql);
    }
  });
  const scriptsDir = join(config.repoRoot, 'infrastructure', 'postgres', spec.name);
  const scripts = readdirSync(scriptsDir).filter((f) => f.endsWith('.sql')).sort();
  await withClient(config, spec, spec.name, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    for (const script of scripts) {
      try {
        await client.query(readFileSync(join(scriptsDir, script), 'utf8'));
      } catch (err) {
        throw new Error(`${spec.name}: ${script} failed: ${(err as Error).message}`);
      }
    }
    // Tables and views created by the superuser belong to the application role.
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format('ALTER TABLE %I.%I OWNER TO %I', schemaname, tablename, $1::text) AS sql
         FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1 AND tablename <> 'spatial_ref_sys'
       UNION ALL
       SELECT format('ALTER VIEW %I.%I OWNER TO %I', schemaname, viewname, $1::text)
         FROM pg_views WHERE schemaname = 'public' AND viewowner <> $1 AND viewname NOT IN ('geometry_columns', 'geography_columns')`,
      [config.pgUser],
    );
    for (const row of rows) await client.query(row.sql);
    // The owner runs migrations and operators' commands; replication is the CDC role's alone.
    const owner = await client.query('SELECT format($1, $2::text) AS sql', ['ALTER ROLE %I NOREPLICATION', config.pgUser]);
    await client.query(owner.rows[0].sql);
    // The owner may read every role's statement statistics (the sinks' upserts are the job roles').
    const stats = await client.query('SELECT format($1, $2::text) AS sql', ['GRANT pg_read_all_stats TO %I', config.pgUser]);
    await client.query(stats.rows[0].sql);
    // The job roles' privileges come from the scripts; their logins and passwords from here.
    const passwords = ensureJobRolePasswords(config);
    for (const [name, job] of Object.entries(JOB_ROLES) as [JobRoleName, JobRole][]) {
      if (job.cluster !== spec.name) continue;
      await setPassword(client, job.role, passwords[name]);
    }
  });
}
