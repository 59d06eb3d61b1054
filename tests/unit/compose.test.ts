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
import { SERVICES as SERVICE_REGISTRY } from '@polluscope/common';
import { CONNECT_ENV_ALLOWLIST_PATTERN } from '../../cli/src/infra/jvm-components.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INFRA = 'docker-compose.infra.yml';
const SERVICES = 'docker-compose.services.yml';
const ONE_SHOT_LABEL = 'org.polluscope.one-shot';

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
    expect(needs('kafka')).toEqual(['zookeeper']);
    expect(needs('registry')).toEqual(['kafka']);
    expect(needs('connect')).toEqual(['kafka', 'registry']);
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

  it('published ports bind to POLLUSCOPE_BIND_ADDRESS, 127.0.0.1 by default', () => {
    for (const file of [INFRA, SERVICES]) {
      for (const [name, service] of entries(compose(file))) {
        for (const mapping of service.ports ?? []) {
          expect(String(mapping), `${file}: ${name}`).toMatch(/^\$\{POLLUSCOPE_BIND_ADDRESS:-127\.0\.0\.1\}:/);
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
        expect(service.environment ?? {}, `${file}: ${name}`).not.toHaveProperty('POSTGRES_HOST_AUTH_METHOD');
      }
    }
    expect(read(SERVICES)).toMatch(/WAREHOUSE_URL: postgresql:\/\/\$\{POLLUSCOPE_PG_USER:-polluscope\}:\$\{POLLUSCOPE_PG_PASSWORD:\?/);
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
    for (const [name, service] of entries(file)) expect(service.networks, name).toEqual(['polluscope']);
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
    const rulesIn = (opts: unknown) => /-javaagent:\S+\/jmx_prometheus_javaagent\.jar=9404:\S+\/([\w-]+)\.yml$/.exec(String(opts))?.[1];
    expect(rulesIn(services.kafka?.environment?.KAFKA_OPTS)).toBe('kafka-broker');
    expect(rulesIn(services.connect?.environment?.KAFKA_OPTS)).toBe('connect');
    const embedded = read('cli/src/infra/jvm-components.ts');
    expect(embedded).toContain("jmxExporterAgent(config, ports.kafkaMetrics, 'kafka-broker')");
    expect(embedded).toContain("jmxExporterAgent(config, ports.connectMetrics, 'connect')");
    for (const rules of ['kafka-broker', 'connect']) expect(parse(read(`infrastructure/prometheus/jmx/${rules}.yml`))).toHaveProperty('rules');
    // The admin tool of the healthcheck is a JVM: not with the broker's heap, not with its agent.
    const check = JSON.stringify(services.kafka?.healthcheck?.test);
    expect(check).toMatch(/KAFKA_HEAP_OPTS='-Xms\d+m -Xmx(\d+)m'/);
    expect(Number(/-Xmx(\d+)m'/.exec(check)?.[1])).toBeLessThanOrEqual(128);
    expect(check).toContain('KAFKA_OPTS= ');
  });

  it('Connect gets exactly the variables of the embedded stack, and every ${env:…} of connectors/*.json', () => {
    const source = read('cli/src/infra/jvm-components.ts');
    const block = /export function connectEnv[\s\S]*?return \{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
    const embedded = [...block.matchAll(/(POLLUSCOPE_[A-Z_]+):/g)].map((m) => m[1]).sort();
    expect(embedded.length).toBeGreaterThan(3);
    const connectEnv = compose(INFRA).services.connect?.environment ?? {};
    expect(Object.keys(connectEnv).filter((k) => k.startsWith('POLLUSCOPE_')).sort()).toEqual(embedded);
    for (const file of readdirSync(join(ROOT, 'connectors')).filter((f) => f.endsWith('.json'))) {
      for (const match of read(`connectors/${file}`).matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) {
        expect(connectEnv, `connectors/${file} reads ${match[1]}`).toHaveProperty(match[1] ?? '');
      }
    }
    expect(connectEnv.POLLUSCOPE_REGISTRY_API_URL).toBe('http://registry:8080/apis/registry/v2');
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
    for (const jar of read(path).matchAll(/\S+\.jar\b/g)) expect(jar[0], 'the only jar named is the agent Maven laid out').toMatch(/jmx-exporter\/jmx_prometheus_javaagent\.jar$/);

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
