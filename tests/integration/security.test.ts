/**
 * Every door of the running embedded stack, tried as another local user or a stray client would:
 * without credentials, with wrong ones, and each role beyond its job (docs/design.md §7, README
 * "Security"). Real PostgreSQL, Kafka Connect, registry and services; nothing is mocked.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@polluscope/common';
import { isRoot } from '../../cli/src/infra/debian-packages.js';
import { clusterSpecs, socketDir, type ClusterSpec } from '../../cli/src/infra/postgres.js';
import { runningPid } from '../../cli/src/infra/processes.js';
import { servicePort } from '../../cli/src/infra/services.js';
import {
  CONNECT_REST_USER,
  JOB_ROLES,
  jobRoleUrl,
  readConnectRestLogin,
  readJobRolePassword,
  readRegistryLogin,
  REGISTRY_WRITER_USER,
  readSecret,
  secretsDir,
  superuserSecretName,
  basicAuthorization,
  type JobRoleName,
} from '../../cli/src/infra/stack-secrets.js';
import { researcherPool, stackConfig } from './stack.js';

const clusters = clusterSpecs(stackConfig);
const cluster = (name: string): ClusterSpec => clusters.find((c) => c.name === name)!;
const host = stackConfig.host;
const connectUrl = `http://${host}:${stackConfig.ports.connect}`;
const registryUrl = `http://${host}:${stackConfig.ports.registry}`;

/** psql as a stranger would run it: no password file, no PGPASSWORD, never prompting. */
function psql(args: { host: string; port: number; user: string; database: string; password?: string; asUser?: string }): { ok: boolean; output: string } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PGPASSFILE: '/dev/null', PGCONNECT_TIMEOUT: '5' };
  if (args.password !== undefined) env.PGPASSWORD = args.password;
  const command = ['psql', '-w', '-X', '-h', args.host, '-p', String(args.port), '-U', args.user, '-d', args.database, '-Atc', 'SELECT 1'];
  const [bin, argv] = args.asUser ? ['runuser', ['-u', args.asUser, '--', ...command]] : [command[0]!, command.slice(1)];
  const result = spawnSync(bin, argv, { env, encoding: 'utf8' });
  return { ok: result.status === 0 && result.stdout.trim() === '1', output: `${result.stdout}${result.stderr}` };
}

const rolesOf = (name: 'rawdata' | 'warehouse'): string[] => [
  'postgres',
  stackConfig.pgUser,
  ...Object.values(JOB_ROLES).filter((j) => j.cluster === name).map((j) => j.role),
  ...(name === 'warehouse' ? ['researcher_login'] : []),
];

describe('the PostgreSQL clusters', () => {
  for (const name of ['rawdata', 'warehouse'] as const) {
    describe(name, () => {
      const spec = cluster(name);
      it.each(rolesOf(name))('refuse %s on TCP and on the socket without a password, and with a wrong one', (user) => {
        for (const where of [host, socketDir(stackConfig, spec)]) {
          const none = psql({ host: where, port: spec.port, user, database: name });
          expect(none.ok, `${user}@${where} without a password: ${none.output}`).toBe(false);
          expect(none.output).toMatch(/no password supplied|password authentication failed/);
          const wrong = psql({ host: where, port: spec.port, user, database: name, password: randomBytes(12).toString('hex') });
          expect(wrong.ok, `${user}@${where} with a wrong password`).toBe(false);
          expect(wrong.output).toContain('password authentication failed');
        }
      });

      it("keeps its socket in a folder only the server's account can enter", () => {
        const dir = socketDir(stackConfig, spec);
        expect(dir.startsWith(stackConfig.home)).toBe(true);
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        if (isRoot()) {
          // Root passes any folder mode; another account is stopped at the folder, before any password.
          const stranger = psql({ host: dir, port: spec.port, user: 'postgres', database: name, password: 'x', asUser: 'nobody' });
          expect(stranger.ok).toBe(false);
          expect(stranger.output).toContain('Permission denied');
        }
      });

      it('lets the superuser in with its own password, kept in a 0600 file and shared with no other role', () => {
        const password = readSecret(stackConfig, superuserSecretName(name));
        expect(statSync(`${secretsDir(stackConfig)}/${superuserSecretName(name)}`).mode & 0o777).toBe(0o600);
        expect(psql({ host, port: spec.port, user: 'postgres', database: name, password }).ok).toBe(true);
        const others = [stackConfig.pgPassword, ...(Object.keys(JOB_ROLES) as JobRoleName[]).map((r) => readJobRolePassword(stackConfig, r))];
        expect(others).not.toContain(password);
      });
    });
  }
});

/** Runs `sql` as a job role and returns the SQLSTATE it failed with, or 'ok'. */
async function asRole(name: JobRoleName | 'researcher', sql: string): Promise<string> {
  const pool = name === 'researcher' ? researcherPool() : new pg.Pool({ connectionString: jobRoleUrl(stackConfig, name), max: 1 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ WRITE');
    await client.query(sql);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
  }
}

const WAREHOUSE_TABLES = ['sensor_clean', 'gps_clean', 'gps_dropped', 'activity_segments', 'activity_timeline', 'review_decisions', 'gps_episodes', 'exposure_daily', 'reviewers', 'label_groups'];
const SINK_TABLES: Record<string, readonly string[]> = {
  sinkPoints: ['sensor_clean', 'gps_clean', 'gps_dropped'],
  sinkSegments: ['activity_segments', 'activity_timeline'],
  sinkReviews: ['review_decisions'],
  sinkEpisodes: ['gps_episodes'],
  sinkExposure: ['exposure_daily'],
};
const INSUFFICIENT_PRIVILEGE = '42501';

describe('each database role does its job and nothing more', () => {
  for (const [sink, own] of Object.entries(SINK_TABLES) as [JobRoleName, readonly string[]][]) {
    it(`${JOB_ROLES[sink].role} upserts ${own.join(', ')} and cannot write any other table, delete, or create`, async () => {
      for (const table of WAREHOUSE_TABLES) {
        if (own.includes(table)) {
          // WHERE false: the privilege is checked, no row is touched.
          const update = await asRole(sink, `UPDATE ${pg.escapeIdentifier(table)} SET participant_virtual_id = participant_virtual_id WHERE false`);
          expect(update, `${sink} updating its own ${table}`).toBe('ok');
        } else {
          // The privilege is checked before any row, so no constraint answers first.
          const insert = await asRole(sink, `INSERT INTO ${pg.escapeIdentifier(table)} DEFAULT VALUES`);
          expect(insert, `${sink} inserting into ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
        }
      }
      for (const table of own) {
        expect(await asRole(sink, `DELETE FROM ${pg.escapeIdentifier(table)} WHERE false`), `${sink} deleting from ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
        expect(await asRole(sink, `TRUNCATE ${pg.escapeIdentifier(table)}`), `${sink} truncating ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
      }
      expect(await asRole(sink, 'CREATE TABLE intruder (x int)')).toBe(INSUFFICIENT_PRIVILEGE);
    });
  }

  it('the review API reads every table, reviewers included, and writes none', async () => {
    for (const table of WAREHOUSE_TABLES) {
      expect(await asRole('api', `SELECT count(*) FROM ${pg.escapeIdentifier(table)}`), `api reading ${table}`).toBe('ok');
      expect(await asRole('api', `INSERT INTO ${pg.escapeIdentifier(table)} DEFAULT VALUES`), `api inserting into ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await asRole('api', `DELETE FROM ${pg.escapeIdentifier(table)} WHERE false`), `api deleting from ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  it('the researcher writes nothing and cannot read the reviewers\' password hashes', async () => {
    for (const table of WAREHOUSE_TABLES.filter((t) => t !== 'reviewers')) {
      expect(await asRole('researcher', `SELECT count(*) FROM ${pg.escapeIdentifier(table)}`), `researcher reading ${table}`).toBe('ok');
      expect(await asRole('researcher', `INSERT INTO ${pg.escapeIdentifier(table)} DEFAULT VALUES`), `researcher inserting into ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await asRole('researcher', `DELETE FROM ${pg.escapeIdentifier(table)} WHERE false`), `researcher deleting from ${table}`).toBe(INSUFFICIENT_PRIVILEGE);
    }
    expect(await asRole('researcher', 'SELECT password_hash FROM reviewers')).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('the CDC role reads the two raw tables, writes none, and is the only one allowed to replicate', async () => {
    const cdc = new pg.Client({ connectionString: jobRoleUrl(stackConfig, 'cdc') });
    await cdc.connect();
    try {
      for (const table of ['sensor_measurements', 'gps_positions']) {
        await expect(cdc.query(`SELECT count(*) FROM ${pg.escapeIdentifier(table)}`)).resolves.toBeDefined();
        await expect(cdc.query(`DELETE FROM ${pg.escapeIdentifier(table)} WHERE false`)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
        await expect(cdc.query(`INSERT INTO ${pg.escapeIdentifier(table)} DEFAULT VALUES`)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      }
      const { rows } = await cdc.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolreplication AND NOT rolsuper ORDER BY 1');
      expect(rows.map((r) => r.rolname)).toEqual([JOB_ROLES.cdc.role]);
    } finally {
      await cdc.end();
    }
    // It has no role in the warehouse at all.
    const warehouseAsCdc = psql({ host, port: stackConfig.ports.warehouse, user: JOB_ROLES.cdc.role, database: 'warehouse', password: readJobRolePassword(stackConfig, 'cdc') });
    expect(warehouseAsCdc.ok).toBe(false);
  });
});

describe("Kafka Connect's REST API", () => {
  const login = readConnectRestLogin(stackConfig);
  const wrong = basicAuthorization({ user: CONNECT_REST_USER, password: `${login.password}x` });

  it.each([
    ['GET', '/connectors'],
    ['POST', '/connectors'],
    ['GET', '/connectors/warehouse-sink-points/config'],
    ['PUT', '/connectors/warehouse-sink-points/config'],
    ['DELETE', '/connectors/warehouse-sink-points'],
    ['PUT', '/connector-plugins/io.debezium.connector.jdbc.JdbcSinkConnector/config/validate'],
  ])('refuses %s %s without a login and with a wrong one', async (method, path) => {
    const body = method === 'POST' || method === 'PUT' ? JSON.stringify({ name: 'intruder', config: {} }) : undefined;
    for (const headers of [{}, { authorization: wrong }] as Record<string, string>[]) {
      const response = await fetch(`${connectUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });
      expect(response.status, `${method} ${path} ${JSON.stringify(Object.keys(headers))}`).toBe(401);
    }
  });

  it('answers the stack\'s own login', async () => {
    const response = await fetch(`${connectUrl}/connectors`, { headers: { authorization: basicAuthorization(login) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.arrayContaining(['rawdata-source', 'warehouse-sink-points']));
  });
});

describe('the schema registry', () => {
  const ccompat = `${registryUrl}/apis/ccompat/v7`;
  const writer = readRegistryLogin(stackConfig);
  const writerLogin = { authorization: basicAuthorization({ user: writer.username, password: writer.password }) };
  const wrongLogin = { authorization: basicAuthorization({ user: REGISTRY_WRITER_USER, password: randomBytes(12).toString('hex') }) };
  const strangerLogin = { authorization: basicAuthorization({ user: 'nobody-registers', password: randomBytes(12).toString('hex') }) };
  const subject = 'sensor.clean-value';
  // The schema register-schemas.sh registered (jq -c): registering it again adds no version.
  const schema = JSON.stringify(JSON.parse(readFileSync(join(stackConfig.repoRoot, 'schemas', 'sensor.clean.avsc'), 'utf8')));
  const register = (headers: Record<string, string>) =>
    fetch(`${ccompat}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...headers },
      body: JSON.stringify({ schema }),
    });

  it('registers a schema only with the writer login: none or a wrong one is 401', async () => {
    for (const [who, headers] of [['no login', {}], ['a wrong password', wrongLogin], ['an unknown user', strangerLogin]] as [string, Record<string, string>][]) {
      const response = await register(headers);
      expect(response.status, who).toBe(401);
    }
    const response = await register(writerLogin);
    expect(response.status).toBe(200);
    expect((await response.json()) as { id: unknown }).toEqual({ id: expect.any(Number) });
  });

  it('refuses to change a compatibility level without the login', async () => {
    const response = await fetch(`${ccompat}/config/${subject}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    expect(response.status).toBe(401);
    const level = (await (await fetch(`${ccompat}/config/${subject}`)).json()) as { compatibilityLevel: string };
    expect(level.compatibilityLevel).toBe('BACKWARD');
  });

  it('lets anyone read: subjects, versions and schemas by id without a login', async () => {
    const subjects = await fetch(`${ccompat}/subjects`);
    expect(subjects.status).toBe(200);
    expect((await subjects.json()) as string[]).toContain(subject);
    const latest = await fetch(`${ccompat}/subjects/${subject}/versions/latest`);
    expect(latest.status).toBe(200);
    const { id } = (await latest.json()) as { id: number };
    expect((await fetch(`${ccompat}/schemas/ids/${id}`)).status).toBe(200);
    expect((await fetch(`${registryUrl}/apis/registry/v3/search/artifacts`)).status).toBe(200);
  });

  it('refuses to delete a subject or a version through either API, logged in or not, and keeps them', async () => {
    for (const path of [
      `/apis/ccompat/v7/subjects/${subject}`,
      `/apis/ccompat/v7/subjects/${subject}?permanent=true`,
      `/apis/ccompat/v7/subjects/${subject}/versions/1`,
      `/apis/registry/v3/groups/default/artifacts/${subject}`,
      `/apis/registry/v2/groups/default/artifacts/${subject}`,
    ]) {
      // Without a login the deny policy asks for one (401); with the writer's it refuses (403).
      expect((await fetch(`${registryUrl}${path}`, { method: 'DELETE' })).status, `DELETE ${path}`).toBe(401);
      expect((await fetch(`${registryUrl}${path}`, { method: 'DELETE', headers: writerLogin })).status, `DELETE ${path} logged in`).toBe(403);
    }
    const subjects = (await (await fetch(`${ccompat}/subjects`)).json()) as string[];
    expect(subjects).toContain(subject);
  });

  it("keeps the writer's password out of the registry's command line", () => {
    const pid = runningPid(stackConfig.runDir, 'registry', '-Dpolluscope.component=registry');
    expect(pid).not.toBeNull();
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    expect(commandLine).toContain('quarkus-run.jar');
    expect(commandLine).not.toContain(writer.password);
  });
});

describe('the services', () => {
  it('refuse POST /reviews without a reviewer login and with a wrong one', async () => {
    const url = `http://${host}:${servicePort(stackConfig, 'postprocessing')}/reviews/sim-001/${Date.UTC(2026, 0, 12, 9)}`;
    for (const headers of [{}, { authorization: basicAuthorization({ user: 'nobody-reviews', password: randomBytes(12).toString('hex') }) }] as Record<string, string>[]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ label: 'Bureau' }) });
      expect(response.status).toBe(401);
    }
  });
});

describe('every listening port of the stack', () => {
  it('is bound to 127.0.0.1 only', () => {
    const { ports } = stackConfig;
    const stackPorts = [
      ports.rawdata, ports.warehouse, ports.zookeeper, ports.kafka, ports.registry, ports.connect, ports.kafkaMetrics, ports.connectMetrics,
      ...SERVICE_NAMES.map((name) => servicePort(stackConfig, name)),
    ];
    const listening = spawnSync('ss', ['-Hltn'], { encoding: 'utf8' }).stdout.trim().split('\n').map((line) => line.trim().split(/\s+/)[3] ?? '');
    for (const port of stackPorts) {
      const bound = listening.filter((address) => address.endsWith(`:${port}`));
      expect(bound.length, `something listens on ${port}`).toBeGreaterThan(0);
      // A JVM binds 127.0.0.1 as its IPv4-mapped IPv6 address: loopback all the same.
      for (const address of bound) expect([`127.0.0.1:${port}`, `[::ffff:127.0.0.1]:${port}`], `port ${port}`).toContain(address);
    }
  });
});
