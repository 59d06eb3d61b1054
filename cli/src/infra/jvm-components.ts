/**
 * The JVM parts of the embedded stack: ZooKeeper, the Kafka broker, Apicurio Registry and the
 * Kafka Connect distributed worker, laid out by Maven from infrastructure/stack/pom.xml.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from './processes.js';
import type { StackConfig } from './stack-config.js';
import type { RegistryLogin } from '@polluscope/common';
import {
  CONNECT_REST_ACCOUNT_FILE,
  CONNECT_REST_USER,
  ensureJobRolePasswords,
  ensureRegistryLogin,
  ensureSecret,
  secretsDir,
  type JobRoleName,
} from './stack-secrets.js';

/** How long the embedded broker keeps a record (Kafka's default, 7 days); `erase` reports it. */
export const BROKER_RETENTION_HOURS = 168;

export interface JvmComponent {
  readonly spec: ProcessSpec;
  readonly logFile: string;
  readonly port: number;
}

const MAVEN_PROFILES = ['kafka', 'connect-plugins', 'registry', 'jmx-exporter'] as const;

/** Whether a profile's files are in the stack folder: checked, not assumed from a marker. */
function laidOut(config: StackConfig, profile: string): boolean {
  switch (profile) {
    case 'kafka':
      return (
        existsSync(join(config.stackDir, 'kafka', 'lib')) &&
        ['kafka_', 'connect-basic-auth-extension-'].every((jar) => readdirSync(join(config.stackDir, 'kafka', 'lib')).some((f) => f.startsWith(jar)))
      );
    case 'connect-plugins':
      return ['debezium-connector-postgres', 'debezium-connector-jdbc', 'apicurio-converter'].every((d) => existsSync(join(config.stackDir, 'connect-plugins', d)));
    case 'jmx-exporter':
      return existsSync(jmxAgentJar(config));
    default:
      return existsSync(join(config.stackDir, 'apicurio', 'quarkus-run.jar'));
  }
}

/**
 * Resolves the JVM artifacts from Maven Central into the stack folder, for each part not laid out
 * yet. Maven's own repository (~/.m2) caches the downloads across clones.
 */
export function ensureJvmArtifacts(config: StackConfig, log: (line: string) => void): void {
  const pom = join(config.repoRoot, 'infrastructure', 'stack', 'pom.xml');
  for (const profile of MAVEN_PROFILES) {
    if (laidOut(config, profile)) continue;
    log(`resolving ${profile} artifacts with Maven…`);
    try {
      execFileSync('mvn', ['-B', '-q', '-f', pom, 'package', `-P${profile}`, `-Dstack.dir=${config.stackDir}`], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch {
      throw new Error(`Maven could not lay out the ${profile} artifacts from ${pom}; see the output above`);
    }
    if (!laidOut(config, profile)) throw new Error(`Maven ran for ${profile} but its files are missing under ${config.stackDir}`);
  }
}

function jmxAgentJar(config: StackConfig): string {
  return join(config.stackDir, 'jmx-exporter', 'jmx_prometheus_javaagent.jar');
}

/**
 * The Prometheus JMX exporter as a -javaagent, serving GET /metrics on host:port with the rules of
 * infrastructure/prometheus/jmx/<rules>.yml (the files the compose images carry too).
 */
export function jmxExporterAgent(config: StackConfig, port: number, rules: 'kafka-broker' | 'connect'): string {
  const rulesFile = join(config.repoRoot, 'infrastructure', 'prometheus', 'jmx', `${rules}.yml`);
  return `-javaagent:${jmxAgentJar(config)}=${config.host}:${port}:${rulesFile}`;
}

/** Major version of a `java` binary, from `java -version`. */
function javaMajor(javaBin: string): number {
  // `java -version` prints on standard error.
  const result = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  return parseJavaMajor(`${result.stdout ?? ''}${result.stderr ?? ''}`);
}

function parseJavaMajor(text: string): number {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return 0;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

/**
 * Apicurio Registry 3.3 is built for Java 21; Kafka runs on the default Java 17. Machines of this
 * kind also carry a newer JDK under /usr/lib/jvm, which is used for the registry.
 */
export function registryJava(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.POLLUSCOPE_REGISTRY_JAVA
    ? [env.POLLUSCOPE_REGISTRY_JAVA]
    : [
        'java',
        ...(existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').sort().reverse().map((d) => `/usr/lib/jvm/${d}/bin/java`) : []),
      ];
  for (const candidate of candidates) {
    if ((candidate === 'java' || existsSync(candidate)) && javaMajor(candidate) >= 21) return candidate;
  }
  throw new Error(
    'Apicurio Registry needs Java 21 or newer: install one (e.g. a Temurin JDK under /usr/lib/jvm) ' +
      'or point POLLUSCOPE_REGISTRY_JAVA at its java binary',
  );
}

function properties(entries: Record<string, string | number>): string {
  return `${Object.entries(entries).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

function log4j(): string {
  return properties({
    'log4j.rootLogger': 'INFO, stdout',
    'log4j.appender.stdout': 'org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    'log4j.logger.org.apache.zookeeper': 'WARN',
    'log4j.logger.kafka.server.KafkaConfig': 'WARN',
    'log4j.logger.org.apache.kafka.clients': 'WARN',
    'log4j.logger.org.reflections': 'ERROR',
  });
}

function java(
  config: StackConfig,
  name: string,
  heap: string,
  classpath: string,
  mainClass: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
  agents: readonly string[] = [],
): JvmComponent['spec'] {
  return {
    name,
    command: 'java',
    args: [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      ...agents,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(config.runDir, 'conf', 'log4j.properties')}`,
      `-Dpolluscope.component=${name}`,
      '-cp',
      classpath,
      mainClass,
      ...args,
    ],
    env,
    marker: `-Dpolluscope.component=${name}`,
  };
}

/** Writes the configuration files and returns the four components in start order. */
export function jvmComponents(config: StackConfig): readonly JvmComponent[] {
  const confDir = join(config.runDir, 'conf');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(config.logDir, { recursive: true });
  writeFileSync(join(confDir, 'log4j.properties'), log4j());
  const kafkaCp = `${join(config.stackDir, 'kafka', 'lib')}/*`;
  const { host, ports } = config;
  const bootstrap = `${host}:${ports.kafka}`;

  writeFileSync(
    join(confDir, 'zookeeper.properties'),
    properties({ dataDir: join(config.dataDir, 'zookeeper'), clientPort: ports.zookeeper, clientPortAddress: host, maxClientCnxns: 0, 'admin.enableServer': 'false' }),
  );
  writeFileSync(
    join(confDir, 'kafka.properties'),
    properties({
      'broker.id': 0,
      listeners: `PLAINTEXT://${bootstrap}`,
      'advertised.listeners': `PLAINTEXT://${bootstrap}`,
      'log.dirs': join(config.dataDir, 'kafka'),
      'zookeeper.connect': `${host}:${ports.zookeeper}`,
      'num.partitions': 6,
      'default.replication.factor': 1,
      'offsets.topic.replication.factor': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
      'auto.create.topics.enable': 'true',
      'log.retention.hours': BROKER_RETENTION_HOURS,
    }),
  );
  writeFileSync(join(confDir, 'connect.properties'), properties(connectWorkerProperties(config)));
  const registryLogin = ensureRegistryLogin(config);

  return [
    {
      spec: java(config, 'zookeeper', '256m', kafkaCp, 'org.apache.zookeeper.server.ZooKeeperServerMain', [join(confDir, 'zookeeper.properties')]),
      logFile: join(config.logDir, 'zookeeper.log'),
      port: ports.zookeeper,
    },
    {
      spec: java(config, 'kafka', '1g', kafkaCp, 'kafka.Kafka', [join(confDir, 'kafka.properties')], undefined, [
        jmxExporterAgent(config, ports.kafkaMetrics, 'kafka-broker'),
      ]),
      logFile: join(config.logDir, 'kafka.log'),
      port: ports.kafka,
    },
    {
      spec: {
        name: 'registry',
        command: registryJava(),
        args: ['-Xms256m', '-Xmx512m', '-Dpolluscope.component=registry', '-jar', join(config.stackDir, 'apicurio', 'quarkus-run.jar')],
        env: {
          ...registrySecurityEnv(config, registryLogin),
          QUARKUS_HTTP_HOST: host,
          QUARKUS_HTTP_PORT: String(ports.registry),
          // Apicurio's build enables the management interface (a build-time setting that
          // QUARKUS_MANAGEMENT_ENABLED cannot turn off at run time): its port (Quarkus default
          // 9000) moves with the registry's, so a second stack can start.
          QUARKUS_MANAGEMENT_HOST: host,
          QUARKUS_MANAGEMENT_PORT: String(ports.registry + 919),
          // Schemas are kept in a Kafka journal topic, so they survive a registry restart.
          APICURIO_STORAGE_KIND: 'kafkasql',
          APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: bootstrap,
          // Schemas are never deleted: a deleted subject would leave records nobody can decode.
          APICURIO_REST_DELETION_ARTIFACT_ENABLED: 'false',
          APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED: 'false',
          APICURIO_REST_DELETION_GROUP_ENABLED: 'false',
        },
        marker: '-Dpolluscope.component=registry',
      },
      logFile: join(config.logDir, 'registry.log'),
      port: ports.registry,
    },
    {
      spec: {
        ...java(config, 'connect', '1g', kafkaCp, 'org.apache.kafka.connect.cli.ConnectDistributed', [join(confDir, 'connect.properties')], connectWorkerEnv(config, ensureJobRolePasswords(config), registryLogin), [
          jmxExporterAgent(config, ports.connectMetrics, 'connect'),
          `-Djava.security.auth.login.config=${writeConnectRestLogin(config)}`,
        ]),
        inheritEnv: false,
      },
      logFile: join(config.logDir, 'connect.log'),
      port: ports.connect,
    },
  ];
}

/** Kafka's own REST login for Connect (connect-basic-auth-extension, laid out with the kafka profile). */
export const CONNECT_BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

/**
 * The JAAS configuration of the REST login: PropertyFileLoginModule checks each request against
 * `usersFile` (one `user: password` line per account; Kafka's module compares them as written).
 */
export function connectRestJaas(usersFile: string): string {
  const quoted = usersFile.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${quoted}";\n};\n`;
}

/** Writes the REST login's accounts and JAAS files (0600, in the secrets folder); returns the JAAS file. */
function writeConnectRestLogin(config: StackConfig): string {
  const password = ensureSecret(config, CONNECT_REST_ACCOUNT_FILE);
  const usersFile = join(secretsDir(config), 'connect-rest-users.properties');
  writeFileSync(usersFile, `${CONNECT_REST_USER}: ${password}\n`, { mode: 0o600 });
  chmodSync(usersFile, 0o600);
  const jaasFile = join(secretsDir(config), 'connect-rest-jaas.conf');
  writeFileSync(jaasFile, connectRestJaas(usersFile), { mode: 0o600 });
  chmodSync(jaasFile, 0o600);
  return jaasFile;
}

/** Reads open, writes with the writer's login, no deletes (the same file in docker-compose.infra.yml). */
export function registrySecurityFile(config: StackConfig): string {
  return join(config.repoRoot, 'infrastructure', 'registry', 'registry-security.properties');
}

/**
 * The registry's variables for its login: Quarkus reads registry-security.properties, which takes
 * the writer's password from POLLUSCOPE_REGISTRY_PASSWORD. In the environment, not in a -D
 * argument, the password stays out of the process list.
 */
export function registrySecurityEnv(config: StackConfig, login: RegistryLogin): NodeJS.ProcessEnv {
  return { QUARKUS_CONFIG_LOCATIONS: registrySecurityFile(config), POLLUSCOPE_REGISTRY_PASSWORD: login.password };
}

/** The only variables connector files may read through ${env:…} (Connect's env config provider). */
export const CONNECT_ENV_ALLOWLIST_PATTERN = 'POLLUSCOPE_.*';

/** The Connect worker's properties (connect.properties of the embedded stack). */
export function connectWorkerProperties(config: StackConfig): Record<string, string | number> {
  const { host, ports } = config;
  const bootstrap = `${host}:${ports.kafka}`;
  return {
    'bootstrap.servers': bootstrap,
    'group.id': 'polluscope-connect',
    'config.storage.topic': '_connect-configs',
    'offset.storage.topic': '_connect-offsets',
    'status.storage.topic': '_connect-status',
    'config.storage.replication.factor': 1,
    'offset.storage.replication.factor': 1,
    'status.storage.replication.factor': 1,
    'offset.flush.interval.ms': 5000,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    listeners: `http://${host}:${ports.connect}`,
    'rest.advertised.host.name': host,
    'rest.advertised.port': ports.connect,
    'plugin.path': join(config.stackDir, 'connect-plugins'),
    // Connector files read hosts and credentials from the worker's environment: ${env:NAME}.
    'config.providers': 'env',
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    // A connector file cannot read the worker's other variables (docs/design.md §7, least privilege).
    'config.providers.env.param.allowlist.pattern': CONNECT_ENV_ALLOWLIST_PATTERN,
    // The REST API answers only with a login (HTTP Basic, accounts in connect-rest-users.properties).
    'rest.extension.classes': CONNECT_BASIC_AUTH_EXTENSION,
  };
}

/**
 * Variables of the operator's environment the Connect worker is given: where to find java
 * (PATH, JAVA_HOME), a home for the JVM's user files, and locale and time zone. The heap and the
 * agents are java arguments (the worker is started by `java`, not by connect-distributed.sh, so
 * KAFKA_HEAP_OPTS and KAFKA_OPTS would have no effect); nothing else is passed on, so the
 * operator's tokens and passwords never reach the worker.
 */
export const CONNECT_INHERITED_ENV: readonly string[] = Object.freeze(['PATH', 'JAVA_HOME', 'HOME', 'LANG', 'LC_ALL', 'TZ']);

/**
 * The whole environment of the embedded Connect worker: the inherited variables present in
 * `operatorEnv`, then what the connector files reference (connectEnv).
 *
 * @example connectWorkerEnv(config, passwords, registryLogin, { PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'x' })
 *   // { PATH: '/usr/bin', POLLUSCOPE_RAWDATA_HOST: '127.0.0.1', … } (no AWS_SECRET_ACCESS_KEY)
 */
export function connectWorkerEnv(
  config: StackConfig,
  passwords: Readonly<Record<JobRoleName, string>>,
  registryLogin: RegistryLogin,
  operatorEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {};
  for (const name of CONNECT_INHERITED_ENV) {
    const value = operatorEnv[name];
    if (value !== undefined) inherited[name] = value;
  }
  return { ...inherited, ...connectEnv(config, passwords, registryLogin) };
}

/** What the connector files read through ${env:…} (same names in docker-compose.infra.yml). */
export function connectEnv(config: StackConfig, passwords: Readonly<Record<JobRoleName, string>>, registryLogin: RegistryLogin): NodeJS.ProcessEnv {
  const { host, ports } = config;
  return {
    POLLUSCOPE_RAWDATA_HOST: host,
    POLLUSCOPE_RAWDATA_PORT: String(ports.rawdata),
    POLLUSCOPE_WAREHOUSE_HOST: host,
    POLLUSCOPE_WAREHOUSE_PORT: String(ports.warehouse),
    POLLUSCOPE_PG_CDC_PASSWORD: passwords.cdc,
    POLLUSCOPE_PG_SINK_POINTS_PASSWORD: passwords.sinkPoints,
    POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD: passwords.sinkSegments,
    POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD: passwords.sinkReviews,
    POLLUSCOPE_PG_SINK_EPISODES_PASSWORD: passwords.sinkEpisodes,
    POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD: passwords.sinkExposure,
    POLLUSCOPE_REGISTRY_API_URL: `http://${host}:${ports.registry}/apis/registry/v2`,
    // The converters register the schemas of what Connect writes (the raw topics) as the registry's writer.
    POLLUSCOPE_REGISTRY_USER: registryLogin.username,
    POLLUSCOPE_REGISTRY_PASSWORD: registryLogin.password,
  };
}
