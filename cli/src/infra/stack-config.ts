/**
 * Where the embedded stack lives and which ports it uses. Every port can be moved by an
 * environment variable, so the stack can run beside other servers on a developer's machine.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StackPorts {
  readonly rawdata: number;
  readonly warehouse: number;
  readonly zookeeper: number;
  readonly kafka: number;
  readonly registry: number;
  readonly connect: number;
  /** Prometheus JMX exporter agents of the broker and the Connect worker (GET /metrics). */
  readonly kafkaMetrics: number;
  readonly connectMetrics: number;
  /** Added to each service's port of docs/design.md §2, so a second local pipeline can run beside the first. */
  readonly serviceOffset: number;
}

export interface StackConfig {
  readonly repoRoot: string;
  /** Ignored folder holding downloaded artifacts, data folders, logs and pid files. */
  readonly home: string;
  readonly stackDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly runDir: string;
  readonly ports: StackPorts;
  readonly host: string;
  /** Database owner used by Connect and the services; a documented local-development default. */
  readonly pgUser: string;
  readonly pgPassword: string;
  readonly postgresBin: string;
  readonly readyTimeoutMs: number;
}

/** The repository root: the folder that holds infrastructure/stack/pom.xml. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'infrastructure', 'stack', 'pom.xml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root (infrastructure/stack/pom.xml) above ${from}`);
    dir = parent;
  }
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${text}"`);
  }
  return port;
}

export const DEFAULT_PORTS: StackPorts = Object.freeze({
  rawdata: 5435,
  warehouse: 5436,
  zookeeper: 2181,
  kafka: 9092,
  registry: 8081,
  connect: 8083,
  kafkaMetrics: 9404,
  connectMetrics: 9405,
  serviceOffset: 0,
});

function serviceOffsetFrom(env: NodeJS.ProcessEnv): number {
  const text = env.POLLUSCOPE_SERVICE_PORT_OFFSET;
  if (text === undefined || text === '') return 0;
  const offset = Number(text);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50000) {
    throw new Error(`POLLUSCOPE_SERVICE_PORT_OFFSET must be a whole number from 0 to 50000, got "${text}"`);
  }
  return offset;
}

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const repoRoot = findRepoRoot();
  const home = resolve(env.POLLUSCOPE_HOME ?? join(repoRoot, '.polluscope'));
  return Object.freeze({
    repoRoot,
    home,
    stackDir: join(home, 'stack'),
    dataDir: join(home, 'data'),
    logDir: join(home, 'logs'),
    runDir: join(home, 'run'),
    host: '127.0.0.1',
    ports: Object.freeze({
      rawdata: portFrom(env, 'POLLUSCOPE_RAWDATA_PORT', DEFAULT_PORTS.rawdata),
      warehouse: portFrom(env, 'POLLUSCOPE_WAREHOUSE_PORT', DEFAULT_PORTS.warehouse),
      zookeeper: portFrom(env, 'POLLUSCOPE_ZOOKEEPER_PORT', DEFAULT_PORTS.zookeeper),
      kafka: portFrom(env, 'POLLUSCOPE_KAFKA_PORT', DEFAULT_PORTS.kafka),
      registry: portFrom(env, 'POLLUSCOPE_REGISTRY_PORT', DEFAULT_PORTS.registry),
      connect: portFrom(env, 'POLLUSCOPE_CONNECT_PORT', DEFAULT_PORTS.connect),
      kafkaMetrics: portFrom(env, 'POLLUSCOPE_KAFKA_METRICS_PORT', DEFAULT_PORTS.kafkaMetrics),
      connectMetrics: portFrom(env, 'POLLUSCOPE_CONNECT_METRICS_PORT', DEFAULT_PORTS.connectMetrics),
      serviceOffset: serviceOffsetFrom(env),
    }),
    pgUser: env.POLLUSCOPE_PG_USER ?? 'polluscope',
    pgPassword: env.POLLUSCOPE_PG_PASSWORD ?? 'polluscope',
    postgresBin: env.POLLUSCOPE_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin',
    readyTimeoutMs: Number(env.POLLUSCOPE_READY_TIMEOUT_S ?? 180) * 1000,
  });
}

/** Connection strings the CLI, the tests and the services use to reach the embedded stack. */
export function stackEndpoints(config: StackConfig) {
  const { host, ports, pgUser, pgPassword } = config;
  const pg = (port: number, db: string) =>
    `postgresql://${encodeURIComponent(pgUser)}:${encodeURIComponent(pgPassword)}@${host}:${port}/${db}`;
  return {
    kafkaBrokers: `${host}:${ports.kafka}`,
    registryUrl: `http://${host}:${ports.registry}/apis/ccompat/v7`,
    connectUrl: `http://${host}:${ports.connect}`,
    rawdataUrl: pg(ports.rawdata, 'rawdata'),
    warehouseUrl: pg(ports.warehouse, 'warehouse'),
  };
}
