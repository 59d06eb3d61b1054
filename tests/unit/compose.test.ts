/**
 * The Docker Compose deployment, checked without a Docker engine: both files pass
 * `docker-compose config`, and their structure, pins, documentation, Dockerfiles and the connector
 * registration script are checked against the embedded stack they must match (docs/design.md §2, §7).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHANGELOG_SERVICES, changelogTopic, deadLetterTopic, restoreGroupPrefix, SERVICES as SERVICE_REGISTRY, SERVICE_NAMES, TOPICS } from '@polluscope/common';
import { CONNECT_ENV_ALLOWLIST_PATTERN } from '../../cli/src/infra/jvm-components.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INFRA = 'docker-compose.infra.yml';
const SERVICES = 'docker-compose.services.yml';
const ONE_SHOT_LABEL = 'org.polluscope.one-shot';

/** Doors of the Compose stack that ask for no login (the registry: none for reads): published on 127.0.0.1 only (docs/security.md). */
const NO_LOGIN_DOORS: readonly string[] = ['registry', 'prometheus', 'alertmanager'];

/** What the Connect worker's environment offers connectors through ${env:…} (issue 19's contract). */
const CONNECT_CONTRACT_ENV: readonly string[] = [
  'POLLUSCOPE_RAWDATA_HOST',
  'POLLUSCOPE_RAWDATA_PORT',
  'POLLUSCOPE_WAREHOUSE_HOST',
  'POLLUSCOPE_WAREHOUSE_PORT',
  'POLLUSCOPE_REGISTRY_API_URL',
  'POLLUSCOPE_REGISTRY_USER',
  'POLLUSCOPE_REGISTRY_PASSWORD',
  'POLLUSCOPE_PG_CDC_PASSWORD',
  'POLLUSCOPE_PG_SINK_POINTS_PASSWORD',
  'POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD',
  'POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD',
  'POLLUSCOPE_PG_SINK_EPISODES_PASSWORD',
  'POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD',
];

/** The services and their ports, from the one registry (docs/design.md §2). */
const SERVICE_PORTS: Readonly<Record<string, number>> = Object.fromEntries(Object.values(SERVICE_REGISTRY).map((s) => [s.name, s.port]));

type Env = Record<string, string | number | boolean | null>;
interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  container_name?: string;
  restart?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | { published?: string | number; target: number })[];
  environment?: Env;
  labels?: Record<string, string>;
  networks?: string[] | Record<string, unknown>;
  volumes?: string[];
  command?: string[];
  user?: string | number;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, { name?: string } | null>;
  networks?: Record<string, { name?: string; external?: boolean } | null>;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const compose = (file: string) => parse(read(file), { merge: true }) as ComposeFile;

function entries(file: ComposeFile): [string, ComposeService][] {
  return Object.entries(file.services);
}

function isOneShot(service: ComposeService): boolean {
  return service.labels?.[ONE_SHOT_LABEL] === 'true';
}

/** A tag other than `latest`, or a sha256 digest; no variables. */
export function isPinnedImage(image: string): boolean {
  if (image.includes('$')) return false;
  const [ref = '', digest] = image.split('@');
  if (digest !== undefined) return /^sha256:[0-9a-f]{64}$/.test(digest);
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  if (colon <= 0) return false;
  const tag = name.slice(colon + 1);
  return /^[\w][\w.-]{0,127}$/.test(tag) && tag !== 'latest';
}

/** KEY=value lines of .env.example, and whether a comment line sits right above each. */
function envExample(): Map<string, { value: string; documented: boolean }> {
  const lines = read('.env.example').split('\n');
  const vars = new Map<string, { value: string; documented: boolean }>();
  lines.forEach((line, i) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) vars.set(match[1] ?? '', { value: match[2] ?? '', documented: (lines[i - 1] ?? '').startsWith('#') });
  });
  return vars;
}

/** Names of the variables a compose file interpolates (`$$` is a literal dollar; comments are not read). */
function interpolatedVariables(text: string): Set<string> {
  const names = new Set<string>();
  const body = text.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');
  for (const match of body.replaceAll('$$', '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1] ?? '');
  return names;
}

/** Compose interpolation: ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, $$. */
function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (_m, name: string, colon: string, op: string, word: string) => {
      const value = env.get(name);
      const missing = colon === ':' ? value === undefined || value === '' : value === undefined;
      if (op === '-') return missing ? word : (value ?? '');
      if (op === '?' && missing) throw new Error(`${name} is required: ${word}`);
      return value ?? '';
    })
    .replaceAll('$$', '$');
}

/** Host ports of a short-syntax mapping `[ip:]host:container[/proto]`; null when ephemeral. */
function hostPort(mapping: string): { host: string | null; container: number } {
  const parts = mapping.replace(/\/(tcp|udp)$/, '').split(':');
  const container = Number(parts.at(-1));
  const host = parts.length >= 2 ? (parts.at(-2) ?? '') : '';
  return { host: host === '' ? null : host, container };
}

interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}
interface DockerStage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: DockerInstruction[];
}

/** Stages of a Dockerfile: continuation lines joined, comments dropped, global ARGs resolved in FROM. */
function parseDockerfile(path: string): { stages: DockerStage[]; globalArgs: Map<string, string> } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of read(path).split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  const globalArgs = new Map<string, string>();
  const stages: DockerStage[] = [];
  for (const line of logical) {
    if (line === '') continue;
    const space = line.search(/\s/);
    const keyword = line.slice(0, space).toUpperCase();
    const args = line.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new Error(`${path}: cannot read FROM ${args}`);
      const from = (match[1] ?? '').replace(/\$\{?(\w+)\}?/g, (_m, name: string) => globalArgs.get(name) ?? `\${${name}}`);
      stages.push({ from, name: match[2] ?? null, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [name = '', value = ''] = args.split('=');
        globalArgs.set(name, value);
      }
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return { stages, globalArgs };
}

function stageNamed(stages: DockerStage[], name: string): DockerStage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

function envOf(stage: DockerStage): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const match of i.args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env.set(match[1] ?? '', match[2] ?? '');
  }
  return env;
}

function userOf(stage: DockerStage): string | undefined {
  return stage.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
}

/** A Dockerfile USER or compose `user:` that is not root: neither the name nor uid 0, whatever the group; no variable. */
export function isNonRootUser(user: string | undefined): boolean {
  const name = (user ?? '').trim().split(':')[0] ?? '';
  return /^[A-Za-z0-9_][\w.-]*$/.test(name) && name !== 'root' && !/^0+$/.test(name);
}

// ---------------------------------------------------------------------------------------------

// docker-compose (Python) takes seconds to start on a busy 2-core machine: beyond vitest's 5 s default.
describe('docker-compose config (the v1 syntax checker, no engine needed)', { timeout: 60_000 }, () => {
  const cleanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };

  function dockerCompose(args: string[], env: NodeJS.ProcessEnv = cleanEnv) {
    const result = spawnSync('docker-compose', args, { cwd: ROOT, env, encoding: 'utf8' });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('docker-compose is not installed: install it with `sudo apt-get install -y docker-compose` (Debian package)');
    }
    return result;
  }

  it.each([INFRA, SERVICES])('%s is valid with .env.example', (file) => {
    const result = dockerCompose(['--env-file', '.env.example', '-f', file, 'config', '-q']);
    expect(result.stderr, result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([INFRA, SERVICES])('%s refuses to start without the passwords of the env file', (file) => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    try {
      writeFileSync(join(dir, 'empty.env'), '# no settings\n');
      const result = dockerCompose(['--env-file', join(dir, 'empty.env'), '-f', file, 'config', '-q']);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/set [A-Z_]*PASSWORD in \.env/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty <SERVICE>_HOST_PORT gives every replica its own host port (scale-out)', () => {
    const result = dockerCompose(['--env-file', '.env.example', '-f', SERVICES, 'config'], {
      ...cleanEnv,
      TIMESERIES_PREPROCESSING_HOST_PORT: '',
    });
    expect(result.status, result.stderr).toBe(0);
    const resolved = parse(result.stdout) as ComposeFile;
    expect(resolved.services['timeseries-preprocessing']?.ports).toEqual(['127.0.0.1::8001/tcp']);
    expect(resolved.services['gps-preprocessing']?.ports).toEqual(['127.0.0.1:8002:8002/tcp']);
  });
});

describe('image pins', () => {
  it('the pin rule itself', () => {
    expect(isPinnedImage('postgres')).toBe(false);
    expect(isPinnedImage('postgres:latest')).toBe(false);
    expect(isPinnedImage('localhost:5000/postgres')).toBe(false);
    expect(isPinnedImage('${IMAGE}')).toBe(false);
    expect(isPinnedImage('postgis/postgis:15-3.5')).toBe(true);
    expect(isPinnedImage('localhost:5000/polluscope/connect:1.0')).toBe(true);
    expect(isPinnedImage(`alpine@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isPinnedImage('alpine@sha256:abc')).toBe(false);
  });

  it.each([INFRA, SERVICES])('every service of %s names a pinned image (built ones too)', (file) => {
    for (const [name, service] of entries(compose(file))) {
      expect(service.image, `${file}: ${name} has no image`).toBeTypeOf('string');
      expect(isPinnedImage(service.image ?? ''), `${file}: ${name}: ${service.image} is not pinned`).toBe(true);
    }
  });

  it.each(['Dockerfile', 'infrastructure/connect/Dockerfile', 'infrastructure/postgres/compose/Dockerfile'])('every base image of %s is pinned', (path) => {
    const { stages } = parseDockerfile(path);
    const stageNames = new Set(stages.map((s) => s.name));
    for (const stage of stages) {
      if (stageNames.has(stage.from)) continue;
      expect(isPinnedImage(stage.from), `${path}: FROM ${stage.from}`).toBe(true);
    }
  });

  it('uses the Kafka 3.9 line (Confluent Platform 7.9), Apicurio 3.3.3, PostgreSQL 15 + PostGIS on a maintained base, kafbat\'s Kafka-UI', () => {
    const { services } = compose(INFRA);
    expect(services.zookeeper?.image).toMatch(/^confluentinc\/cp-zookeeper:7\.9\.\d+$/);
    expect(services.registry?.image).toBe('apicurio/apicurio-registry:3.3.3');
    // kafbat's maintained fork, not the abandoned provectuslabs image.
    expect(services['kafka-ui']?.image).toMatch(/^ghcr\.io\/kafbat\/kafka-ui:v\d+\.\d+\.\d+$/);
    // Built from the official postgres image on Debian bookworm, not postgis/postgis (stale base).
    for (const db of ['rawdata', 'warehouse']) {
      expect(services[db]?.build, db).toEqual({ context: '.', dockerfile: 'infrastructure/postgres/compose/Dockerfile' });
      expect(services[db]?.image, db).toBe(services.rawdata?.image);
    }
    const postgres = parseDockerfile('infrastructure/postgres/compose/Dockerfile').stages;
    expect(postgres.at(-1)?.from).toMatch(/^postgres:15\.\d+-bookworm$/);
    expect(postgres.at(-1)?.instructions.map((i) => i.args).join('\n')).toContain('postgresql-15-postgis-3');
    // The pom's versions: the registry image follows apicurio.version.
    expect(read('infrastructure/stack/pom.xml')).toContain(`<apicurio.version>3.3.3</apicurio.version>`);
    const stages = parseDockerfile('infrastructure/connect/Dockerfile').stages;
    const connect = stageNamed(stages, 'connect');
    const kafka = stageNamed(stages, 'kafka');
    expect(kafka.from).toMatch(/^confluentinc\/cp-kafka:7\.9\.\d+$/);
    expect(connect.from).toMatch(/^confluentinc\/cp-kafka-connect:7\.9\.\d+$/);
    expect(connect.from.split(':')[1]).toBe(kafka.from.split(':')[1]);
    expect(services.kafka?.build).toEqual({ context: '.', dockerfile: 'infrastructure/connect/Dockerfile', target: 'kafka' });
  });

  it('the monitoring images are pinned to a release', () => {
    const { services } = compose(INFRA);
    expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(services.alertmanager?.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    expect(services.grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(services['kafka-exporter']?.image).toMatch(/^danielqsj\/kafka-exporter:v\d+\.\d+\.\d+$/);
    expect(services['rawdata-exporter']?.image).toMatch(/^quay\.io\/prometheuscommunity\/postgres-exporter:v\d+\.\d+\.\d+$/);
    expect(services['blackbox-exporter']?.image).toMatch(/^prom\/blackbox-exporter:v\d+\.\d+\.\d+$/);
  });
});

describe('long-running services: healthchecks, restart policies, start order', () => {
  it.each([INFRA, SERVICES])('%s: every long-running service has a healthcheck and a restart policy', (file) => {
    for (const [name, service] of entries(compose(file))) {
      if (isOneShot(service)) {
        expect(service.restart, `${file}: one-shot ${name}`).toBe('no');
        continue;
      }
      const test = service.healthcheck?.test;
      expect(service.healthcheck?.disable, `${file}: ${name}`).not.toBe(true);
      expect(Array.isArray(test) ? test.length : (test ?? '').length, `${file}: ${name} has no healthcheck`).toBeGreaterThan(1);
      expect(Array.isArray(test) ? test[0] : 'CMD-SHELL', `${file}: ${name}`).not.toBe('NONE');
      expect(service.restart, `${file}: ${name} has no restart policy`).toMatch(/^(always|unless-stopped|on-failure(:\d+)?)$/);
    }
  });

  it('dependencies wait for health (or, for the one-shot, nothing depends on it)', () => {
    const { services } = compose(INFRA);
    for (const [name, service] of Object.entries(services)) {
      const deps = service.depends_on ?? {};
      expect(Array.isArray(deps), `${name}: depends_on must carry conditions`).toBe(false);
      for (const [dep, { condition } = {}] of Object.entries(deps)) {
        expect(services[dep], `${name} depends on unknown ${dep}`).toBeDefined();
        expect(condition, `${name} → ${dep}`).toBe(isOneShot(services[dep] ?? {}) ? 'service_completed_successfully' : 'service_healthy');
      }
    }
    const needs = (name: string) => Object.keys((services[name]?.depends_on ?? {}) as object).sort();
    expect(needs('kafka-users')).toEqual(['zookeeper']);
    expect(needs('kafka')).toEqual(['kafka-users', 'zookeeper']);
    expect(needs('kafka-acls')).toEqual(['kafka']);
    expect(needs('registry')).toEqual(['kafka', 'kafka-acls']);
    expect(needs('connect')).toEqual(['kafka', 'kafka-acls', 'registry']);
    expect(needs('register-schemas')).toEqual(['registry']);
    expect(needs('create-topics')).toEqual(['kafka']);
    // The raw subjects' compatibility rule is set, and the topics exist with their settings, before the source's first record.
    expect(needs('register-connectors')).toEqual(['connect', 'create-topics', 'rawdata', 'register-schemas', 'registry', 'warehouse']);
  });

  it('no service pins a container name (replicas must be possible)', () => {
    for (const file of [INFRA, SERVICES]) {
      for (const [name, service] of entries(compose(file))) expect(service.container_name, `${file}: ${name}`).toBeUndefined();
    }
  });
});

describe('ports, environment and documentation', () => {
  const env = envExample();
  const envValues = new Map([...env].map(([k, v]) => [k, v.value]));
  const readme = read('infrastructure/README.md');

  it.each([INFRA, SERVICES])('every port %s publishes is documented in infrastructure/README.md', (file) => {
    for (const [name, service] of entries(compose(file))) {
      for (const mapping of service.ports ?? []) {
        expect(typeof mapping, `${file}: ${name}: use the short port syntax`).toBe('string');
        const { host, container } = hostPort(interpolate(String(mapping), envValues));
        expect(Number.isInteger(container), `${file}: ${name}: ${mapping}`).toBe(true);
        expect(host, `${file}: ${name}: ${mapping} has no host port with .env.example`).not.toBeNull();
        expect(readme, `${file}: ${name} publishes ${host}, not in infrastructure/README.md`).toContain(`localhost:${host}`);
      }
    }
  });

  it('published ports bind to POLLUSCOPE_BIND_ADDRESS, 127.0.0.1 by default; doors without a login to 127.0.0.1 only', () => {
    for (const file of [INFRA, SERVICES]) {
      for (const [name, service] of entries(compose(file))) {
        for (const mapping of service.ports ?? []) {
          if (NO_LOGIN_DOORS.includes(name)) expect(String(mapping), `${file}: ${name} has no login`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
          else expect(String(mapping), `${file}: ${name}`).toMatch(/^\$\{POLLUSCOPE_BIND_ADDRESS:-127\.0\.0\.1\}:/);
        }
      }
    }
    expect(env.get('POLLUSCOPE_BIND_ADDRESS')?.value).toBe('127.0.0.1');
  });

  it('every variable the compose files read is documented in .env.example, and nothing else is', () => {
    const used = new Set([...interpolatedVariables(read(INFRA)), ...interpolatedVariables(read(SERVICES))]);
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) {
      expect(env.has(name), `${name} is used by a compose file but missing from .env.example`).toBe(true);
      expect(env.get(name)?.documented, `${name} has no comment line above it in .env.example`).toBe(true);
    }
    for (const name of env.keys()) expect(used.has(name), `.env.example documents ${name}, which no compose file reads`).toBe(true);
  });

  it('no secret is written into a compose file: passwords are required variables', () => {
    for (const file of [INFRA, SERVICES]) {
      for (const [name, service] of entries(compose(file))) {
        for (const [key, value] of Object.entries(service.environment ?? {})) {
          if (!/PASSWORD/.test(key)) continue;
          expect(String(value), `${file}: ${name}: ${key}`).toMatch(/^\$\{[A-Z_]*PASSWORD:\?[^}]+\}$/);
        }
        // Never `trust`: the databases ask every connection for a password (the least-privilege tests below).
        const auth = service.environment?.POSTGRES_HOST_AUTH_METHOD;
        if (auth !== undefined) expect(auth, `${file}: ${name}`).toBe('scram-sha-256');
      }
    }
    expect(read(SERVICES)).toMatch(/WAREHOUSE_URL: postgresql:\/\/polluscope_api:\$\{POLLUSCOPE_PG_API_PASSWORD:\?/);
    for (const [name, { value }] of env) if (/PASSWORD/.test(name)) expect(value, name).toMatch(/local-dev-only$/);
  });

  it('the services: ports of docs/design.md §2, the env the lead keeps, one image recipe, the infra network', () => {
    const file = compose(SERVICES);
    expect(Object.keys(file.services).sort()).toEqual(Object.keys(SERVICE_PORTS).sort());
    expect(file.networks?.polluscope).toEqual({ external: true, name: 'polluscope' });
    for (const [name, service] of entries(file)) {
      const port = SERVICE_PORTS[name];
      expect(service.build?.dockerfile, name).toBe('Dockerfile');
      expect(service.build?.context, name).toBe('.');
      expect(service.build?.args?.SERVICE, name).toBe(name);
      expect(Number(service.environment?.PORT), name).toBe(port);
      expect(hostPort(interpolate(String(service.ports?.[0]), envValues)), name).toEqual({ host: String(port), container: port });
      expect(service.environment?.KAFKA_BROKERS, name).toBe('kafka:29092');
      expect(service.environment?.SCHEMA_REGISTRY_URL, name).toBe('http://registry:8080/apis/ccompat/v7');
      expect(service.environment?.LOG_LEVEL, name).toBe('${LOG_LEVEL:-info}');
      // The services' default is 127.0.0.1; inside a container that would be unreachable.
      expect(service.environment?.HOST, name).toBe('0.0.0.0');
      expect('MODEL_PATH' in (service.environment ?? {}), name).toBe(name === 'classification-validation' || name === 'stop-move-detection');
      expect('WAREHOUSE_URL' in (service.environment ?? {}), name).toBe(name === 'postprocessing');
      expect(service.networks, name).toEqual(['polluscope']);
      expect(JSON.stringify(service.healthcheck?.test), name).toContain('/health');
    }
  });

  it('the infrastructure: one named network, named volumes, logical WAL, kafkasql, 6 partitions, Kafka-UI login', () => {
    const file = compose(INFRA);
    expect(file.networks?.polluscope?.name).toBe('polluscope');
    // ZooKeeper (no login, holds the SCRAM credentials and the ACLs) on an internal network of its own.
    const onZookeeperNetwork: Record<string, string[]> = { zookeeper: ['zookeeper'], 'kafka-users': ['zookeeper'], kafka: ['polluscope', 'zookeeper'] };
    for (const [name, service] of entries(file)) expect(service.networks, name).toEqual(onZookeeperNetwork[name] ?? ['polluscope']);
    expect(file.networks?.zookeeper).toEqual({ name: 'polluscope-zookeeper', internal: true });
    for (const db of ['rawdata', 'warehouse']) {
      const volumes = file.services[db]?.volumes ?? [];
      expect(volumes).toContain(`${db}-data:/var/lib/postgresql/data`);
      expect(volumes).toContain(`./infrastructure/postgres/${db}:/polluscope/sql:ro`);
      expect(volumes).toContain('./infrastructure/postgres/compose/init-database.sh:/docker-entrypoint-initdb.d/20-polluscope.sh:ro');
      expect(file.services[db]?.environment?.POLLUSCOPE_DB).toBe(db);
      expect(file.volumes?.[`${db}-data`]?.name).toBe(`polluscope-${db}-data`);
    }
    expect(file.services.rawdata?.command).toContain('wal_level=logical');
    // The slot's WAL is capped, at the embedded stack's value (cli/src/infra/postgres.ts).
    const cap = /MAX_SLOT_WAL_KEEP_SIZE = '([^']+)'/.exec(read('cli/src/infra/postgres.ts'))?.[1];
    expect(cap).toBeDefined();
    expect(file.services.rawdata?.command).toContain(`max_slot_wal_keep_size=${cap}`);
    // Apicurio 3.3.3 ignores this build-time property at run time.
    expect(file.services.registry?.environment ?? {}).not.toHaveProperty('QUARKUS_MANAGEMENT_ENABLED');
    expect(file.services.kafka?.environment?.KAFKA_NUM_PARTITIONS).toBe(6);
    expect(file.services.registry?.environment?.APICURIO_STORAGE_KIND).toBe('kafkasql');
    expect(file.services.registry?.environment?.APICURIO_KAFKASQL_BOOTSTRAP_SERVERS).toBe('kafka:29092');
    const ui = file.services['kafka-ui']?.environment ?? {};
    expect(ui.AUTH_TYPE).toBe('LOGIN_FORM');
    expect(ui.KAFKA_CLUSTERS_0_SCHEMAREGISTRY).toBe('http://registry:8080/apis/ccompat/v7');
    expect(ui.KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS).toBe('http://connect:8083');
    expect(ui.SPRING_SECURITY_USER_NAME).toMatch(/^\$\{KAFKA_UI_USERNAME:\?/);
    const register = file.services['register-connectors'];
    expect(isOneShot(register ?? {})).toBe(true);
    expect(register?.volumes).toContain('./connectors:/connectors:ro');
  });

  it('the broker and Connect load the JMX exporter agent with the rules the embedded stack uses; the Kafka healthcheck JVM is small', () => {
    const { services } = compose(INFRA);
    const rulesIn = (opts: unknown) => /-javaagent:\S+\/jmx_prometheus_javaagent\.jar=9404:\S+\/([\w-]+)\.yml(?:\s|$)/.exec(String(opts))?.[1];
    expect(rulesIn(services.kafka?.environment?.KAFKA_OPTS)).toBe('kafka-broker');
    expect(rulesIn(services.connect?.environment?.KAFKA_OPTS)).toBe('connect');
    const embedded = read('cli/src/infra/jvm-components.ts');
    expect(embedded).toContain("jmxExporterAgent(config, ports.kafkaMetrics, 'kafka-broker')");
    expect(embedded).toContain("jmxExporterAgent(config, ports.connectMetrics, 'connect')");
    for (const rules of ['kafka-broker', 'connect']) expect(parse(read(`infrastructure/prometheus/jmx/${rules}.yml`))).toHaveProperty('rules');
    // The admin tool of the healthcheck is a JVM: not with the broker's heap, not with its agent.
    expect(services.kafka?.healthcheck?.test).toEqual(['CMD', '/usr/local/bin/broker-healthcheck']);
    const check = read('infrastructure/kafka/broker-healthcheck.sh');
    expect(check).toMatch(/KAFKA_HEAP_OPTS='-Xms\d+m -Xmx(\d+)m'/);
    expect(Number(/-Xmx(\d+)m'/.exec(check)?.[1])).toBeLessThanOrEqual(128);
    expect(check).toContain('KAFKA_OPTS= ');
  });

  it('Connect gets exactly the variables of the contract: hosts, ports, the registry and its connectors\' own roles\' passwords', () => {
    const connectEnv = compose(INFRA).services.connect?.environment ?? {};
    expect(Object.keys(connectEnv).filter((k) => k.startsWith('POLLUSCOPE_')).sort()).toEqual([...CONNECT_CONTRACT_ENV].sort());
    // Not the owner's, not the superuser's password, whatever the name.
    for (const forbidden of ['POLLUSCOPE_PG_PASSWORD', 'POLLUSCOPE_POSTGRES_PASSWORD', 'POLLUSCOPE_PG_API_PASSWORD']) {
      expect(JSON.stringify(connectEnv), forbidden).not.toContain(forbidden);
    }
    expect(connectEnv.POLLUSCOPE_REGISTRY_API_URL).toBe('http://registry:8080/apis/registry/v2');
  });

  const connectorFiles = readdirSync(join(ROOT, 'connectors')).filter((f) => f.endsWith('.json'));
  it('no connector reads the owner\'s password: each logs in as its own job role', () => {
    for (const file of connectorFiles) expect(read(`connectors/${file}`), file).not.toContain('${env:POLLUSCOPE_PG_PASSWORD}');
  });

  it('Connect gets every ${env:…} of connectors/*.json, and the names the embedded worker gets', () => {
    const connectEnv = compose(INFRA).services.connect?.environment ?? {};
    for (const file of connectorFiles) {
      for (const match of read(`connectors/${file}`).matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) {
        expect(connectEnv, `connectors/${file} reads ${match[1]}`).toHaveProperty(match[1] ?? '');
      }
    }
    const source = read('cli/src/infra/jvm-components.ts');
    const block = /export function connectEnv[\s\S]*?return \{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
    const embedded = [...block.matchAll(/(POLLUSCOPE_[A-Z_]+):/g)].map((m) => m[1]).sort();
    expect(Object.keys(connectEnv).filter((k) => k.startsWith('POLLUSCOPE_')).sort()).toEqual(embedded);
  });
});

describe('non-root containers', () => {
  it('isNonRootUser tells root apart, by name or uid, with or without a group', () => {
    for (const user of ['node', 'appuser', 'nobody', '1000', '1000:1000', 'node:node']) expect(isNonRootUser(user), user).toBe(true);
    for (const user of [undefined, '', 'root', '0', '00', 'root:node', '0:0', '${APP_USER}']) expect(isNonRootUser(user), String(user)).toBe(false);
  });

  it.each([INFRA, SERVICES])('%s: every image built here ends as a non-root USER, and no service is switched back to root', (file) => {
    let built = 0;
    for (const [name, service] of entries(compose(file))) {
      if (service.user !== undefined) expect(isNonRootUser(String(service.user)), `${file}: ${name} sets user: ${service.user}`).toBe(true);
      if (service.build === undefined) continue;
      built++;
      const dockerfile = join(service.build.context ?? '.', service.build.dockerfile ?? 'Dockerfile');
      const { stages } = parseDockerfile(dockerfile);
      const stage = service.build.target === undefined ? stages.at(-1) : stageNamed(stages, service.build.target);
      const user = stage === undefined ? undefined : userOf(stage);
      expect(isNonRootUser(user), `${file}: ${name} runs ${dockerfile} (stage ${stage?.name ?? '?'}) as ${user ?? 'root (no USER)'}`).toBe(true);
    }
    expect(built, `${file} builds images`).toBeGreaterThan(0);
  });
});

describe('Dockerfiles', () => {
  it('the Connect image lays out its plugins with the embedded stack\'s Maven command, nothing else', () => {
    const path = 'infrastructure/connect/Dockerfile';
    const { stages } = parseDockerfile(path);
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => ({ stage: s, args: i.args })));
    const maven = runs.filter((r) => /\bmvn\b/.test(r.args) && r.args.includes('-Pconnect-plugins'));
    expect(maven, 'exactly one Maven run for the plugins').toHaveLength(1);
    // The JMX exporter agent comes from the same pom, its own profile, as in the embedded stack.
    const agentRuns = runs.filter((r) => /\bmvn\b/.test(r.args) && r.args.includes('-Pjmx-exporter'));
    expect(agentRuns, 'exactly one Maven run for the JMX exporter').toHaveLength(1);
    expect(runs.filter((r) => /\bmvn\b/.test(r.args))).toHaveLength(2);
    const mvn = maven[0]?.args ?? '';
    expect(mvn).toMatch(/\bmvn -B -q -f infrastructure\/stack\/pom\.xml package -Pconnect-plugins -Dstack\.dir=(\S+)/);
    const stackDir = /-Dstack\.dir=(\S+)/.exec(mvn)?.[1] ?? '';
    const plugins = maven[0]?.stage;
    expect(plugins?.instructions).toContainEqual({ keyword: 'COPY', args: 'infrastructure/stack/pom.xml infrastructure/stack/pom.xml' });
    // No second artifact list: no connector downloaded or installed any other way.
    expect(read(path)).not.toMatch(/confluent-hub|dependency:get|wget|curl\s+\S*https?:/);
    // The only jars named: the agent Maven laid out, and the check that Kafka's basic-auth extension ships with the image.
    for (const jar of read(path).matchAll(/\S+\.jar\b/g)) {
      expect(jar[0]).toMatch(/^(\S*jmx-exporter\/jmx_prometheus_javaagent\.jar|\/usr\/share\/java\/kafka\/connect-basic-auth-extension-\*\.jar)$/);
    }

    // The embedded stack runs the same profile into <stack.dir>/connect-plugins and uses it as plugin.path.
    const embedded = read('cli/src/infra/jvm-components.ts');
    expect(embedded).toMatch(/MAVEN_PROFILES = \[[^\]]*'connect-plugins'/);
    expect(embedded).toMatch(/execFileSync\('mvn', \['-B', '-q', '-f', pom, 'package', `-P\$\{profile\}`, `-Dstack\.dir=\$\{config\.stackDir\}`\]/);
    expect(embedded).toContain("'plugin.path': join(config.stackDir, 'connect-plugins')");
    const pom = read('infrastructure/stack/pom.xml');
    const profile = /<id>connect-plugins<\/id>([\s\S]*?)<\/profile>/.exec(pom)?.[1] ?? '';
    const outputs = [...profile.matchAll(/<outputDirectory>([^<]+)<\/outputDirectory>/g)].map((m) => m[1] ?? '');
    expect(outputs.length).toBeGreaterThan(0);
    for (const out of outputs) expect(out.startsWith('${stack.dir}/connect-plugins')).toBe(true);

    const connect = stageNamed(stages, 'connect');
    const copy = connect.instructions.find((i) => i.keyword === 'COPY' && i.args.startsWith(`--from=${plugins?.name} `));
    const [, from, to] = /^--from=\S+ (\S+) (\S+)$/.exec(copy?.args ?? '') ?? [];
    expect(from).toBe(`${stackDir}/connect-plugins`);
    const env = envOf(connect);
    expect(env.get('CONNECT_PLUGIN_PATH')).toBe(to);
    expect(env.get('CONNECT_CONFIG_PROVIDERS')).toBe('env');
    expect(env.get('CONNECT_CONFIG_PROVIDERS_ENV_CLASS')).toBe('org.apache.kafka.common.config.provider.EnvVarConfigProvider');
    // config.providers.env.param.allowlist.pattern, as the embedded worker has it.
    expect(env.get('CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN')).toBe(CONNECT_ENV_ALLOWLIST_PATTERN);
    expect(userOf(connect)).toMatch(/^(?!root$|0$)\S+$/);
    expect(stageNamed(stages, 'register').instructions.map((i) => i.args)).toContain('apk add --no-cache curl jq');
    expect(userOf(stageNamed(stages, 'register'))).toMatch(/^(?!root$|0$)\S+$/);

    const { services } = compose(INFRA);
    expect(services.connect?.build).toEqual({ context: '.', dockerfile: path, target: 'connect' });
    expect(services['register-connectors']?.build).toEqual({ context: '.', dockerfile: path, target: 'register' });
  });

  it('the services image: SERVICE argument, production dependencies of the workspace, non-root', () => {
    const { stages } = parseDockerfile('Dockerfile');
    const all = stages.flatMap((s) => s.instructions);
    expect(all).toContainEqual({ keyword: 'ARG', args: 'SERVICE' });
    const deps = stageNamed(stages, 'deps').instructions.find((i) => i.keyword === 'RUN')?.args ?? '';
    expect(deps).toMatch(/^npm ci --omit=dev\b/);
    expect(deps).toContain('--workspace "services/${SERVICE}"');
    const runtime = stages.at(-1);
    expect(runtime?.name).toBe('runtime');
    expect(userOf(runtime as DockerStage)).toMatch(/^(?!root$|0$)\S+$/);
    expect(runtime?.instructions.some((i) => i.keyword === 'RUN' && /npm (ci|install)\b/.test(i.args))).toBe(false);
    expect(runtime?.instructions).toContainEqual({ keyword: 'COPY', args: '--from=deps /app/node_modules ./node_modules' });
    expect(runtime?.instructions).toContainEqual({ keyword: 'COPY', args: '--from=build /app/schemas schemas' });
    // npm ci checks the lock file against every workspace: each manifest must be in the image.
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const manifests = stageNamed(stages, 'manifests').instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(manifests).toContain('package.json package-lock.json ./');
    for (const ws of workspaces) expect(manifests, ws).toContain(`${ws}/package.json ${ws}/`);
  });

  it('.dockerignore keeps dependencies, builds, local state and the env file out of the build context', () => {
    const lines = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['**/node_modules', '**/dist', '.git', '.polluscope', '.env']) expect(lines).toContain(entry);
    for (const needed of ['infrastructure', 'connectors', 'schemas', 'services', 'package.json']) expect(lines).not.toContain(needed);
  });
});

// ---------------------------------------------------------------------------------------------
// Least privilege (issue 19): every door of the Compose stack, who holds its key
// (docs/security.md, "Compose" lists the same doors and names these tests).

/** The password variables each container may see; any other *PASSWORD* variable in it fails. */
const PASSWORDS_BY_SERVICE: Readonly<Record<string, readonly string[]>> = {
  // The one-shot that cuts every Kafka key, in ZooKeeper before the broker starts.
  'kafka-users': [
    'POLLUSCOPE_KAFKA_ADMIN_PASSWORD',
    'POLLUSCOPE_KAFKA_BROKER_PASSWORD',
    'POLLUSCOPE_KAFKA_CLASSIFICATION_VALIDATION_PASSWORD',
    'POLLUSCOPE_KAFKA_CONNECT_PASSWORD',
    'POLLUSCOPE_KAFKA_EXPORTER_PASSWORD',
    'POLLUSCOPE_KAFKA_GPS_PREPROCESSING_PASSWORD',
    'POLLUSCOPE_KAFKA_POSTPROCESSING_PASSWORD',
    'POLLUSCOPE_KAFKA_REGISTRY_PASSWORD',
    'POLLUSCOPE_KAFKA_STOP_MOVE_DETECTION_PASSWORD',
    'POLLUSCOPE_KAFKA_TIMESERIES_PREPROCESSING_PASSWORD',
    'POLLUSCOPE_KAFKA_UI_PASSWORD',
  ],
  kafka: ['POLLUSCOPE_KAFKA_BROKER_PASSWORD'],
  'kafka-acls': ['POLLUSCOPE_KAFKA_ADMIN_PASSWORD'],
  'create-topics': ['POLLUSCOPE_KAFKA_ADMIN_PASSWORD'],
  registry: ['POLLUSCOPE_KAFKA_REGISTRY_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
  'register-schemas': ['POLLUSCOPE_REGISTRY_PASSWORD'],
  connect: [
    'POLLUSCOPE_REGISTRY_PASSWORD',
    'POLLUSCOPE_CONNECT_REST_PASSWORD',
    'POLLUSCOPE_KAFKA_CONNECT_PASSWORD',
    'POLLUSCOPE_PG_CDC_PASSWORD',
    'POLLUSCOPE_PG_SINK_EPISODES_PASSWORD',
    'POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD',
    'POLLUSCOPE_PG_SINK_POINTS_PASSWORD',
    'POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD',
    'POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD',
  ],
  'register-connectors': ['POLLUSCOPE_CONNECT_REST_PASSWORD'],
  'connect-watchdog': ['POLLUSCOPE_CONNECT_REST_PASSWORD'],
  'kafka-ui': ['KAFKA_UI_PASSWORD', 'POLLUSCOPE_CONNECT_REST_PASSWORD', 'POLLUSCOPE_KAFKA_UI_PASSWORD'],
  rawdata: ['POLLUSCOPE_PG_CDC_PASSWORD', 'POLLUSCOPE_PG_EXPORTER_PASSWORD', 'POLLUSCOPE_PG_PASSWORD', 'POLLUSCOPE_POSTGRES_PASSWORD'],
  warehouse: [
    'POLLUSCOPE_PG_API_PASSWORD',
    'POLLUSCOPE_PG_PASSWORD',
    'POLLUSCOPE_PG_RESEARCHER_PASSWORD',
    'POLLUSCOPE_PG_SINK_EPISODES_PASSWORD',
    'POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD',
    'POLLUSCOPE_PG_SINK_POINTS_PASSWORD',
    'POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD',
    'POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD',
    'POLLUSCOPE_POSTGRES_PASSWORD',
  ],
  grafana: ['GRAFANA_ADMIN_PASSWORD'],
  'kafka-exporter': ['POLLUSCOPE_KAFKA_EXPORTER_PASSWORD'],
  'rawdata-exporter': ['POLLUSCOPE_PG_EXPORTER_PASSWORD'],
  // Each service registers its output schemas at start: the registry's writer password too.
  'classification-validation': ['POLLUSCOPE_KAFKA_CLASSIFICATION_VALIDATION_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
  'timeseries-preprocessing': ['POLLUSCOPE_KAFKA_TIMESERIES_PREPROCESSING_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
  'gps-preprocessing': ['POLLUSCOPE_KAFKA_GPS_PREPROCESSING_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
  postprocessing: ['POLLUSCOPE_KAFKA_POSTPROCESSING_PASSWORD', 'POLLUSCOPE_PG_API_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
  'stop-move-detection': ['POLLUSCOPE_KAFKA_STOP_MOVE_DETECTION_PASSWORD', 'POLLUSCOPE_REGISTRY_PASSWORD'],
};

/** Confluent's images turn KAFKA_<NAME> into a property: `___` is `-`, `__` is `_`, `_` is `.`. */
export function confluentProperty(envName: string, prefix = 'KAFKA_'): string {
  return envName
    .slice(prefix.length)
    .toLowerCase()
    .split('___')
    .map((part) => part.split('__').map((p) => p.replaceAll('_', '.')).join('_'))
    .join('-');
}

/** The user name and password of a one-line SCRAM JAAS configuration. */
function scramLogin(jaas: unknown): { username?: string; password?: string } {
  const text = String(jaas ?? '');
  if (!/^org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required\b/.test(text)) return {};
  return { username: /\busername="([^"]+)"/.exec(text)?.[1], password: /\bpassword="([^"]+)"/.exec(text)?.[1] };
}

/** `service <name> "<inputs>" "<outputs>"` and `sink <connector> "<topics>"` lines of create-acls.sh. */
function aclScriptLines(kind: 'service' | 'sink'): Map<string, string[][]> {
  const lines = new Map<string, string[][]>();
  for (const m of read('infrastructure/kafka/create-acls.sh').matchAll(new RegExp(`^${kind} ([\\w-]+)((?: "[^"]*")+)$`, 'gm'))) {
    lines.set(m[1] ?? '', [...(m[2] ?? '').matchAll(/"([^"]*)"/g)].map((q) => (q[1] ?? '').split(' ').filter((t) => t !== '')));
  }
  return lines;
}

describe('least privilege: Kafka (SASL/SCRAM listeners, one principal per component, ACLs)', () => {
  const { services } = compose(INFRA);
  const broker = services.kafka?.environment ?? {};
  const scramUsers = new Map(
    [...read('infrastructure/kafka/create-scram-users.sh').matchAll(/^([a-z-]+)=(POLLUSCOPE_KAFKA_[A-Z_]+_PASSWORD)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );

  it('confluentProperty follows Confluent\'s naming rule', () => {
    expect(confluentProperty('KAFKA_LISTENER_NAME_BROKER_SCRAM___SHA___512_SASL_JAAS_CONFIG')).toBe('listener.name.broker.scram-sha-512.sasl.jaas.config');
    expect(confluentProperty('KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND')).toBe('allow.everyone.if.no.acl.found');
    expect(confluentProperty('KAFKA_CONFLUENT__X')).toBe('confluent_x');
  });

  it('every listener asks for a SCRAM-SHA-512 login, with a JAAS entry each; the broker\'s own listener stays in its container', () => {
    const listeners = String(broker.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).split(',').map((l) => l.split(':'));
    expect(listeners.map(([name]) => name).sort()).toEqual(['BROKER', 'EXTERNAL', 'INTERNAL']);
    for (const [name, protocol] of listeners) expect(protocol, `${name}`).toBe('SASL_PLAINTEXT');
    expect(String(broker.KAFKA_LISTENERS)).toMatch(/(^|,)BROKER:\/\/127\.0\.0\.1:29093(,|$)/);
    expect(broker.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('BROKER');
    expect(broker.KAFKA_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-512');
    expect(broker.KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL).toBe('SCRAM-SHA-512');
    for (const [name] of listeners) {
      const jaas = Object.entries(broker).find(([key]) => confluentProperty(key) === `listener.name.${(name ?? '').toLowerCase()}.scram-sha-512.sasl.jaas.config`)?.[1];
      expect(String(jaas), `${name} has no JAAS entry`).toMatch(/^org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required\b/);
      // Credentials on the inter-broker listener only, and they are the broker's.
      if (name === 'BROKER') expect(scramLogin(jaas)).toEqual({ username: 'broker', password: '${POLLUSCOPE_KAFKA_BROKER_PASSWORD:?set POLLUSCOPE_KAFKA_BROKER_PASSWORD in .env (see .env.example)}' });
      else expect(scramLogin(jaas)).toEqual({ username: undefined, password: undefined });
    }
  });

  it('the broker authorises with ACLs, refuses what none allows, and has two super users', () => {
    expect(broker.KAFKA_AUTHORIZER_CLASS_NAME).toBe('kafka.security.authorizer.AclAuthorizer');
    expect(broker.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND).toBe('false');
    expect(String(broker.KAFKA_SUPER_USERS).split(';').sort()).toEqual(['User:admin', 'User:broker']);
  });

  it('one SCRAM user per service and component, each with its own .env password, none for ANONYMOUS', () => {
    const env = envExample();
    expect([...scramUsers.keys()].sort()).toEqual(['admin', 'broker', 'connect', 'exporter', 'registry', 'ui', ...SERVICE_NAMES].sort());
    for (const [principal, variable] of scramUsers) {
      expect(variable, principal).toBe(`POLLUSCOPE_KAFKA_${principal.toUpperCase().replaceAll('-', '_')}_PASSWORD`);
      expect(env.get(variable)?.documented, `${variable} is not documented in .env.example`).toBe(true);
    }
  });

  it('each service reads its inputs, writes its outputs and its dead-letter topic, in its own group: the topic registry, in create-acls.sh', () => {
    const acl = aclScriptLines('service');
    expect([...acl.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) {
      const [inputs, outputs] = acl.get(name) ?? [];
      expect(inputs, name).toEqual(SERVICE_REGISTRY[name].inputs.map((t) => t.name));
      expect(outputs, name).toEqual(SERVICE_REGISTRY[name].outputs.map((t) => t.name));
    }
    const script = read('infrastructure/kafka/create-acls.sh');
    // The function body: reads, writes (with dlq.<name>) and its group, nothing else.
    const body = /^service\(\) \{\n([\s\S]*?)\n\}/m.exec(script)?.[1] ?? '';
    expect(body).toContain('allow "$1" --operation Read --operation Describe $(topics "$2")');
    expect(body).toContain('allow "$1" --operation Write --operation Describe $(topics "$3 dlq.$1")');
    expect(body).toContain('allow "$1" --operation Read --group "$1"');
    expect(body.match(/\ballow\b/g)).toHaveLength(3);
    expect(deadLetterTopic('postprocessing').name).toBe('dlq.postprocessing');
    // The group each service commits in is its name (GROUP_ID unset in Compose).
    for (const [name, service] of entries(compose(SERVICES))) expect(service.environment ?? {}, name).not.toHaveProperty('GROUP_ID');
  });

  it('each service with a changelog reads and writes it, and reads it back in its restore groups only', () => {
    const script = read('infrastructure/kafka/create-acls.sh');
    expect([...script.matchAll(/^changelog ([\w-]+)$/gm)].map((m) => m[1])).toEqual([...CHANGELOG_SERVICES]);
    const body = /^changelog\(\) \{\n([\s\S]*?)\n\}/m.exec(script)?.[1] ?? '';
    expect(body).toContain('allow "$1" --operation Read --operation Write --operation Describe --topic "$1.changelog"');
    expect(body).toContain('allow "$1" --operation Read --resource-pattern-type prefixed --group "$1.changelog-restore-"');
    expect(body.match(/\ballow\b/g)).toHaveLength(2);
    for (const service of CHANGELOG_SERVICES) {
      expect(changelogTopic(service).name).toBe(`${service}.changelog`);
      expect(restoreGroupPrefix(service)).toBe(`${service}.changelog-restore-`);
    }
  });

  it('Connect reads what each JDBC sink of connectors/*.json reads, in group connect-<name>, and writes the raw topics', () => {
    const sinks = new Map<string, string[]>();
    for (const file of readdirSync(join(ROOT, 'connectors')).filter((f) => f.endsWith('.json'))) {
      const { name, config } = JSON.parse(read(`connectors/${file}`)) as { name: string; config: Record<string, string> };
      if (config['connector.class'] === 'io.debezium.connector.jdbc.JdbcSinkConnector') sinks.set(name, (config.topics ?? '').split(','));
    }
    const acl = aclScriptLines('sink');
    expect([...acl.keys()].sort()).toEqual([...sinks.keys()].sort());
    for (const [name, topics] of sinks) expect(acl.get(name)?.[0], name).toEqual(topics);
    const script = read('infrastructure/kafka/create-acls.sh');
    const raw = Object.values(TOPICS).filter((t) => t.producer === 'cdc').map((t) => t.name);
    expect(script).toContain(`allow connect --operation Write --operation Describe $(topics "${raw.join(' ')}")`);
    expect(script).toContain('allow connect --operation Read --group "connect-$1"');
    expect(script).toContain('allow connect --operation Read --group polluscope-connect');
  });

  it('Kafka-UI and the exporter only read or describe; no principal but admin and broker alters, deletes or writes to every topic', () => {
    const script = read('infrastructure/kafka/create-acls.sh');
    const grants = [...script.matchAll(/^\s*allow (\S+) (.*)$/gm)].map((m) => ({ principal: m[1] ?? '', args: m[2] ?? '' }));
    for (const { principal, args } of grants) {
      expect(args, `${principal}: ${args}`).not.toMatch(/--operation (All|Alter|AlterConfigs|Delete|ClusterAction|IdempotentWrite)\b/);
      if (args.includes("--topic '*'")) expect(args, principal).not.toMatch(/--operation (Write|Create)\b/);
      if (principal === 'ui' || principal === 'exporter') expect(args, principal).not.toMatch(/--operation (Write|Create)\b/);
      if (principal === 'exporter') expect(args, principal).not.toMatch(/--operation Read\b/);
    }
    expect(new Set(grants.map((g) => g.principal))).toEqual(new Set(['"$1"', 'connect', 'registry', 'ui', 'exporter']));
    expect(services['kafka-ui']?.environment?.KAFKA_CLUSTERS_0_READONLY).toBe('true');
  });

  it('every Kafka client logs in as its own principal', () => {
    const login = (env: Env, key: string) => scramLogin(env[key]).username;
    expect(login(services.registry?.environment ?? {}, 'APICURIO_KAFKA_COMMON_SASL_JAAS_CONFIG')).toBe('registry');
    expect(services.registry?.environment?.APICURIO_KAFKA_COMMON_SECURITY_PROTOCOL).toBe('SASL_PLAINTEXT');
    expect(services.registry?.environment?.APICURIO_KAFKA_COMMON_SASL_MECHANISM).toBe('SCRAM-SHA-512');
    const connect = services.connect?.environment ?? {};
    for (const prefix of ['CONNECT_', 'CONNECT_PRODUCER_', 'CONNECT_CONSUMER_', 'CONNECT_ADMIN_']) {
      expect(connect[`${prefix}SECURITY_PROTOCOL`], prefix).toBe('SASL_PLAINTEXT');
      expect(connect[`${prefix}SASL_MECHANISM`], prefix).toBe('SCRAM-SHA-512');
      expect(login(connect, `${prefix}SASL_JAAS_CONFIG`), prefix).toBe('connect');
    }
    const ui = services['kafka-ui']?.environment ?? {};
    expect(ui.KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL).toBe('SASL_PLAINTEXT');
    expect(login(ui, 'KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG')).toBe('ui');
    expect(services['kafka-exporter']?.command).toEqual(expect.arrayContaining(['--sasl.enabled', '--sasl.mechanism=sha512', '--sasl.username=exporter']));
    for (const oneShot of ['kafka-acls', 'create-topics']) expect(services[oneShot]?.environment?.KAFKA_CLIENT_USER, oneShot).toBe('admin');
    for (const [name, service] of entries(compose(SERVICES))) {
      expect(service.environment?.KAFKA_SASL_MECHANISM, name).toBe('scram-sha-512');
      expect(service.environment?.KAFKA_SASL_USERNAME, name).toBe(name);
    }
  });

  it('the users exist before the broker starts, the ACLs before any other client connects', () => {
    const condition = (name: string, dep: string) => (services[name]?.depends_on as Record<string, { condition?: string }> | undefined)?.[dep]?.condition;
    expect(condition('kafka', 'kafka-users')).toBe('service_completed_successfully');
    expect(condition('kafka-acls', 'kafka')).toBe('service_healthy');
    for (const [name, service] of entries(compose(INFRA))) {
      const usesKafka = JSON.stringify(service).includes('kafka:29092');
      if (!usesKafka || ['kafka', 'kafka-acls', 'create-topics'].includes(name)) continue;
      expect(condition(name, 'kafka-acls'), `${name} connects to Kafka before its ACLs exist`).toBe('service_completed_successfully');
    }
  });
});

describe('least privilege: keys', () => {
  it('no container sees a password it does not use (PASSWORDS_BY_SERVICE)', () => {
    for (const file of [INFRA, SERVICES]) {
      for (const [name, service] of entries(compose(file))) {
        const seen = [...interpolatedVariables(JSON.stringify(service))].filter((v) => /PASSWORD/.test(v)).sort();
        expect(seen, `${file}: ${name}`).toEqual([...(PASSWORDS_BY_SERVICE[name] ?? [])].sort());
      }
    }
  });

  it('every password of .env.example is its own (a service cannot log in as another, the superuser is no role)', () => {
    const passwords = [...envExample()].filter(([name]) => /PASSWORD/.test(name)).map(([, { value }]) => value);
    expect(passwords.length).toBeGreaterThan(20);
    expect(new Set(passwords).size).toBe(passwords.length);
  });
});

describe('least privilege: Connect REST API', () => {
  const { services } = compose(INFRA);
  const connect = services.connect?.environment ?? {};
  const wrapper = read('infrastructure/connect/rest-login.sh');

  it('Kafka\'s basic-auth extension guards the REST API, with a JAAS file written at start', () => {
    const stage = stageNamed(parseDockerfile('infrastructure/connect/Dockerfile').stages, 'connect');
    expect(envOf(stage).get('CONNECT_REST_EXTENSION_CLASSES')).toBe('org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension');
    expect(stage.instructions).toContainEqual({ keyword: 'ENTRYPOINT', args: '["/usr/local/bin/connect-rest-login"]' });
    expect(stage.instructions).toContainEqual({ keyword: 'CMD', args: '["/etc/confluent/docker/run"]' });
    expect(stage.instructions.some((i) => i.keyword === 'RUN' && i.args.startsWith('ls /usr/share/java/kafka/connect-basic-auth-extension-*.jar'))).toBe(true);
    const jaasPath = /-Djava\.security\.auth\.login\.config=(\S+)/.exec(String(connect.KAFKA_OPTS))?.[1];
    expect(jaasPath).toBe('/var/lib/polluscope/connect-rest/jaas.conf');
    expect(wrapper).toContain('LOGIN_DIR="${REST_LOGIN_DIR:-/var/lib/polluscope/connect-rest}"');
    expect(wrapper).toContain('org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required');
    expect(wrapper).toContain('umask 077');
  });

  it('the REST password is not left to connectors: outside the env provider\'s allowlist, unset before the worker starts', () => {
    const allowlist = new RegExp(`^(?:${CONNECT_ENV_ALLOWLIST_PATTERN})$`);
    for (const key of ['REST_LOGIN_USER', 'REST_LOGIN_PASSWORD']) {
      expect(connect).toHaveProperty(key);
      expect(allowlist.test(key), key).toBe(false);
      // CONNECT_* and KAFKA_* would become worker properties in Confluent's image.
      expect(key).not.toMatch(/^(CONNECT|KAFKA)_/);
    }
    expect(connect.REST_LOGIN_PASSWORD).toBe('${POLLUSCOPE_CONNECT_REST_PASSWORD:?set POLLUSCOPE_CONNECT_REST_PASSWORD in .env (see .env.example)}');
    const unset = wrapper.indexOf('unset REST_LOGIN_USER REST_LOGIN_PASSWORD');
    expect(unset).toBeGreaterThan(0);
    expect(unset).toBeLessThan(wrapper.indexOf('exec "$@"'));
    // No POLLUSCOPE_* variable of the worker carries the REST or a Kafka password.
    for (const [key, value] of Object.entries(connect)) {
      if (allowlist.test(key)) expect(String(value), key).not.toMatch(/CONNECT_REST|POLLUSCOPE_KAFKA_/);
    }
  });

  it('the registration one-shot, the watchdog and Kafka-UI log in; the healthcheck does without putting the password on a command line', () => {
    for (const name of ['register-connectors', 'connect-watchdog']) {
      expect(services[name]?.environment?.POLLUSCOPE_CONNECT_REST_USER, name).toBe('${POLLUSCOPE_CONNECT_REST_USER:?set POLLUSCOPE_CONNECT_REST_USER in .env (see .env.example)}');
      expect(services[name]?.environment?.POLLUSCOPE_CONNECT_REST_PASSWORD, name).toBe('${POLLUSCOPE_CONNECT_REST_PASSWORD:?set POLLUSCOPE_CONNECT_REST_PASSWORD in .env (see .env.example)}');
    }
    const ui = services['kafka-ui']?.environment ?? {};
    expect(ui.KAFKA_CLUSTERS_0_KAFKACONNECT_0_USERNAME).toMatch(/^\$\{POLLUSCOPE_CONNECT_REST_USER:\?/);
    expect(ui.KAFKA_CLUSTERS_0_KAFKACONNECT_0_PASSWORD).toMatch(/^\$\{POLLUSCOPE_CONNECT_REST_PASSWORD:\?/);
    const check = services.connect?.healthcheck?.test as string[];
    expect(check[0]).toBe('CMD-SHELL');
    expect(check[1]).toMatch(/^printf 'user = "%s:%s"\\n' "\$\$REST_LOGIN_USER" "\$\$REST_LOGIN_PASSWORD" \| curl -fsS -K - /);
  });
});

describe('least privilege: registry', () => {
  const { services } = compose(INFRA);
  const REQUIRED_PASSWORD = '${POLLUSCOPE_REGISTRY_PASSWORD:?set POLLUSCOPE_REGISTRY_PASSWORD in .env (see .env.example)}';
  const WRITER = 'schema-writer';

  it('deletion is off in the registry\'s own API, and the registry, whose reads need no login, is published on 127.0.0.1 only', () => {
    const env = services.registry?.environment ?? {};
    for (const key of ['APICURIO_REST_DELETION_GROUP_ENABLED', 'APICURIO_REST_DELETION_ARTIFACT_ENABLED', 'APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED']) {
      expect(env[key], key).toBe('false');
    }
    expect(services.registry?.ports).toEqual(['127.0.0.1:8081:8080']);
  });

  it('the registry reads the embedded stack\'s login and permissions file, the writer\'s password from .env', () => {
    const env = services.registry?.environment ?? {};
    const mount = (services.registry?.volumes ?? []).find((v) => v.startsWith('./infrastructure/registry/registry-security.properties:'));
    expect(mount).toBe(`./infrastructure/registry/registry-security.properties:${env.QUARKUS_CONFIG_LOCATIONS}:ro`);
    expect(env.POLLUSCOPE_REGISTRY_PASSWORD).toBe(REQUIRED_PASSWORD);
    const file = read('infrastructure/registry/registry-security.properties');
    expect(file).toContain(`quarkus.security.users.embedded.users.${WRITER}=\${POLLUSCOPE_REGISTRY_PASSWORD}`);
    // No registry setting by variable could name the account: QUARKUS_SECURITY_USERS_EMBEDDED_USERS_* names "schema.writer".
    expect(Object.keys(env).filter((k) => k.startsWith('QUARKUS_SECURITY_') || k.startsWith('QUARKUS_HTTP_AUTH_'))).toEqual([]);
  });

  it('every writer logs in as schema-writer: the registration one-shot, Connect\'s converters, the services', () => {
    for (const name of ['register-schemas', 'connect']) {
      expect(services[name]?.environment?.POLLUSCOPE_REGISTRY_USER, name).toBe(WRITER);
      expect(services[name]?.environment?.POLLUSCOPE_REGISTRY_PASSWORD, name).toBe(REQUIRED_PASSWORD);
    }
    for (const [name, service] of entries(compose(SERVICES))) {
      expect(service.environment?.SCHEMA_REGISTRY_USERNAME, name).toBe(WRITER);
      expect(service.environment?.SCHEMA_REGISTRY_PASSWORD, name).toBe(REQUIRED_PASSWORD);
    }
    for (const file of readdirSync(join(ROOT, 'connectors')).filter((f) => f.endsWith('.json'))) {
      const config = (JSON.parse(read(`connectors/${file}`)) as { config: Record<string, string> }).config;
      if (!String(config['value.converter'] ?? '').startsWith('io.apicurio.')) continue;
      expect(config['value.converter.apicurio.auth.username'], file).toBe('${env:POLLUSCOPE_REGISTRY_USER}');
      expect(config['value.converter.apicurio.auth.password'], file).toBe('${env:POLLUSCOPE_REGISTRY_PASSWORD}');
    }
  });
});

describe('least privilege: PostgreSQL', () => {
  const { services } = compose(INFRA);
  const init = read('infrastructure/postgres/compose/init-database.sh');
  const jobRoles = new Map([...init.matchAll(/^(polluscope_\w+|researcher_login) (POLLUSCOPE_PG_[A-Z_]+_PASSWORD) (\S+)$/gm)].map((m) => [m[1] ?? '', { variable: m[2] ?? '', needs: m[3] ?? '' }]));

  it('scram-sha-256 for every connection, the container\'s own socket included; no trust', () => {
    for (const db of ['rawdata', 'warehouse']) {
      const env = services[db]?.environment ?? {};
      expect(String(env.POSTGRES_INITDB_ARGS).split(' ').sort(), db).toEqual(['--auth-host=scram-sha-256', '--auth-local=scram-sha-256']);
      expect(env.POSTGRES_HOST_AUTH_METHOD, db).toBe('scram-sha-256');
    }
    expect(init).toContain("printf '\\n# polluscope: change-data-capture (logical replication) with a password\\nhost replication all all scram-sha-256\\n'");
  });

  it('each job role of the contract gets a login from its own variable, in the database that holds its tables', () => {
    expect(Object.fromEntries(jobRoles)).toEqual({
      polluscope_cdc: { variable: 'POLLUSCOPE_PG_CDC_PASSWORD', needs: 'replication' },
      polluscope_sink_points: { variable: 'POLLUSCOPE_PG_SINK_POINTS_PASSWORD', needs: '-' },
      polluscope_sink_segments: { variable: 'POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD', needs: '-' },
      polluscope_sink_reviews: { variable: 'POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD', needs: '-' },
      polluscope_sink_episodes: { variable: 'POLLUSCOPE_PG_SINK_EPISODES_PASSWORD', needs: '-' },
      polluscope_sink_exposure: { variable: 'POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD', needs: '-' },
      polluscope_api: { variable: 'POLLUSCOPE_PG_API_PASSWORD', needs: '-' },
      polluscope_exporter: { variable: 'POLLUSCOPE_PG_EXPORTER_PASSWORD', needs: 'monitor' },
      researcher_login: { variable: 'POLLUSCOPE_PG_RESEARCHER_PASSWORD', needs: '-' },
    });
    const rolesOf = (db: string) => [...jobRoles].filter(([, { variable }]) => variable in (services[db]?.environment ?? {})).map(([role]) => role).sort();
    expect(rolesOf('rawdata')).toEqual(['polluscope_cdc', 'polluscope_exporter']);
    expect(rolesOf('warehouse')).toEqual(['polluscope_api', 'polluscope_sink_episodes', 'polluscope_sink_exposure', 'polluscope_sink_points', 'polluscope_sink_reviews', 'polluscope_sink_segments', 'researcher_login']);
    expect(services['rawdata-exporter']?.environment?.DATA_SOURCE_USER).toBe('polluscope_exporter');
  });

  it('roles and passwords reach SQL as psql variables, quoted by the server; the owner no longer replicates', () => {
    expect(init).toContain('--set=role="$role" --set=password="$password" --set=needs="$needs"');
    expect(init).toContain("SELECT format('ALTER ROLE %I LOGIN %s PASSWORD %L', :'role',");
    expect(init).toContain("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')");
    // A job role's password equal to the superuser's or the owner's stops the initialisation.
    expect(init).toContain('if [ "$password" = "${POSTGRES_PASSWORD:-}" ] || [ "$password" = "$POLLUSCOPE_PG_PASSWORD" ]; then');
    // The job roles get their login after the shared SQL files created them and granted their privileges.
    expect(init.indexOf('echo "$JOB_ROLES" | while read')).toBeGreaterThan(init.indexOf('for script in "$SQL_DIR"/*.sql; do'));
  });
});
