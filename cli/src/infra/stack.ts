/**
 * `polluscope infra up|down|status|logs`: the whole stack natively, no Docker engine needed
 * (docs/design.md §7). `up` is idempotent and waits for each component; `down` stops only what it started.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { allTopics, DEFAULT_PARTITIONS, type TopicSpec } from '@polluscope/common';
import kafkajs, { Kafka, logLevel } from 'kafkajs';
import { ensureDebianPackages, hasCommand } from './debian-packages.js';
import { connectorStates, readConnectorFiles, registerConnectors, restartConnector } from './connectors.js';
import { CONNECT_INHERITED_ENV, ensureJvmArtifacts, jvmComponents, type JvmComponent } from './jvm-components.js';
import {
  clusterRunning,
  clusterSpecs,
  ensurePostgresInstalled,
  initCluster,
  provisionCluster,
  startCluster,
  stopCluster,
} from './postgres.js';
import { runningPid, specFingerprint, startOrRestart, startProcess, stopProcess, type ProcessSpec } from './processes.js';
import { httpOk, NotReadyError, tcpOpen, waitUntil } from './readiness.js';
import { stackEndpoints, type StackConfig } from './stack-config.js';
import { connectRest, connectRestLoginEnv, ensureRegistryLogin, registryLoginEnv } from './stack-secrets.js';

type Log = (line: string) => void;

const execFileAsync = promisify(execFile);

async function componentReady(config: StackConfig, component: JvmComponent): Promise<boolean> {
  const { host } = config;
  switch (component.spec.name) {
    case 'registry':
      return httpOk(`http://${host}:${component.port}/apis/ccompat/v7/subjects`);
    case 'connect':
      return httpOk(`http://${host}:${component.port}/connector-plugins`, 2000, { authorization: connectRest(config).authorization });
    case 'kafka':
      return (await tcpOpen(host, component.port)) && (await brokerAnswers(config));
    default:
      return tcpOpen(host, component.port);
  }
}

async function brokerAnswers(config: StackConfig): Promise<boolean> {
  const admin = new Kafka({ brokers: [stackEndpoints(config).kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates every pipeline topic that does not exist yet, with the default partition count and its
 * own settings; a topic created before its settings changed (a dead-letter topic's retention) gets them.
 */
export async function ensureTopics(config: StackConfig): Promise<void> {
  const admin = new Kafka({ brokers: [stackEndpoints(config).kafkaBrokers], logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const entries = (t: TopicSpec) => Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value }));
    const missing = allTopics().filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: DEFAULT_PARTITIONS, replicationFactor: 1, configEntries: entries(t) })),
      });
    }
    const configured = allTopics().filter((t) => existing.has(t.name) && t.config !== undefined);
    if (configured.length > 0) {
      await admin.alterConfigs({ validateOnly: false, resources: configured.map((t) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name: t.name, configEntries: entries(t) })) });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Restarts of a failed connector `infra up` tries before it gives up and says why. */
const CONNECTOR_RESTARTS = 3;

/**
 * Waits until every connector and task runs. A connector or task FAILED (a sink whose database
 * was down, the watchdog backing off) is restarted as an operator would, a few times, before
 * `infra up` fails with its error.
 */
async function waitForConnectors(config: StackConfig, names: readonly string[], logFile: string, log: Log): Promise<void> {
  const api = connectRest(config);
  const restarts = new Map<string, number>();
  await waitUntil('kafka connect connectors', logFile, config.readyTimeoutMs, async () => {
    const states = await connectorStates(api, names);
    for (const failed of states.filter((s) => s.state === 'FAILED' || s.tasks.includes('FAILED'))) {
      const count = (restarts.get(failed.name) ?? 0) + 1;
      if (count > CONNECTOR_RESTARTS) throw new NotReadyError(`connector ${failed.name}`, logFile, failed.trace?.split('\n')[0] ?? 'FAILED');
      restarts.set(failed.name, count);
      log(`connector ${failed.name} FAILED (${failed.trace?.split('\n')[0] ?? 'no trace'}): restart ${count} of ${CONNECTOR_RESTARTS}`);
      await restartConnector(api, failed.name);
      return false;
    }
    return states.every((s) => s.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t === 'RUNNING'));
  });
}

/**
 * The watchdog that restarts failed connectors and tasks (infrastructure/connect/
 * restart-failed-connectors.sh, the same script as the compose service connect-watchdog).
 */
export function connectWatchdog(config: StackConfig): { readonly spec: ProcessSpec; readonly logFile: string } {
  const script = join(config.repoRoot, 'infrastructure', 'connect', 'restart-failed-connectors.sh');
  return {
    spec: {
      name: 'connect-watchdog',
      command: 'sh',
      args: [script],
      env: { ...process.env, CONNECT_URL: stackEndpoints(config).connectUrl, ...connectRestLoginEnv(config), POLL_S: '5' },
      marker: script,
    },
    logFile: join(config.logDir, 'connect-watchdog.log'),
  };
}

/** Longest the schemas' registration may take; each of its requests has its own deadline and retries. */
const REGISTER_SCHEMAS_TIMEOUT_MS = 5 * 60_000;

/**
 * Every subject of schemas/ under BACKWARD compatibility, the services' output schemas registered
 * (infrastructure/registry/register-schemas.sh, the same script as the compose one-shot). Run
 * asynchronously: callers such as the fault suite keep their own work going meanwhile.
 */
async function registerSchemas(config: StackConfig, log: Log): Promise<void> {
  const script = join(config.repoRoot, 'infrastructure', 'registry', 'register-schemas.sh');
  const env = { ...process.env, REGISTRY_URL: stackEndpoints(config).registryUrl, SCHEMAS_DIR: join(config.repoRoot, 'schemas'), ...registryLoginEnv(ensureRegistryLogin(config)) };
  try {
    const { stdout } = await execFileAsync('sh', [script], { env, encoding: 'utf8', timeout: REGISTER_SCHEMAS_TIMEOUT_MS });
    log(`schemas registered (BACKWARD): ${stdout.trim().split('\n').length} subjects`);
  } catch (err) {
    const { stdout = '', stderr = '', killed = false } = err as { stdout?: string; stderr?: string; killed?: boolean };
    const why = killed ? `no end after ${REGISTER_SCHEMAS_TIMEOUT_MS / 1000} s` : stderr || stdout || (err as Error).message;
    throw new Error(`registering the schemas failed: ${why.trim()}`);
  }
}

export async function stackUp(config: StackConfig, log: Log): Promise<void> {
  const started = Date.now();
  ensurePostgresInstalled(config, log);
  // The schemas' registration and the connect watchdog are shell scripts using curl and jq.
  ensureDebianPackages(['curl', 'jq'], () => hasCommand('curl') && hasCommand('jq'), 'curl and jq', log);
  ensureJvmArtifacts(config, log);
  for (const cluster of clusterSpecs(config)) {
    if (initCluster(config, cluster)) log(`initialised PostgreSQL ${cluster.name} in ${cluster.dataDir}`);
    startCluster(config, cluster);
    await provisionCluster(config, cluster);
    log(`postgres ${cluster.name.padEnd(9)} ready on ${config.host}:${cluster.port}`);
  }
  for (const component of jvmComponents(config)) {
    const pid = await startOrRestart(component.spec, config.runDir, component.logFile, specFingerprint(component.spec, CONNECT_INHERITED_ENV), () =>
      log(`${component.spec.name}: started with other settings than this version's: restarting it`),
    );
    await waitUntil(component.spec.name, component.logFile, config.readyTimeoutMs, () => componentReady(config, component), () =>
      runningPid(config.runDir, component.spec.name, component.spec.marker) !== null,
    );
    log(`${component.spec.name.padEnd(18)} ready on ${config.host}:${component.port} (pid ${pid})`);
    if (component.spec.name === 'kafka') await ensureTopics(config);
  }
  await registerSchemas(config, log);
  const connectors = readConnectorFiles(config.repoRoot);
  const connectLog = join(config.logDir, 'connect.log');
  await registerConnectors(connectRest(config), connectors);
  await waitForConnectors(config, connectors.map((c) => c.name), connectLog, log);
  log(`connectors running: ${connectors.map((c) => c.name).join(', ')}`);
  const watchdog = connectWatchdog(config);
  if (runningPid(config.runDir, watchdog.spec.name, watchdog.spec.marker) === null) {
    log(`connect-watchdog   started (pid ${startProcess(watchdog.spec, config.runDir, watchdog.logFile)}): restarts failed connectors`);
  }
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function stackDown(config: StackConfig, log: Log): Promise<void> {
  const watchdog = connectWatchdog(config);
  if (await stopProcess(config.runDir, watchdog.spec.name, watchdog.spec.marker)) log('stopped connect-watchdog');
  const components = [...jvmComponents(config)].reverse();
  for (const component of components) {
    if (await stopProcess(config.runDir, component.spec.name, component.spec.marker)) log(`stopped ${component.spec.name}`);
  }
  for (const cluster of clusterSpecs(config)) {
    if (stopCluster(config, cluster)) log(`stopped postgres ${cluster.name}`);
  }
}

export interface ComponentStatus {
  readonly component: string;
  readonly state: 'up' | 'down' | 'starting';
  readonly pid: string;
  readonly address: string;
  readonly log: string;
}

export async function stackStatus(config: StackConfig): Promise<ComponentStatus[]> {
  const rows: ComponentStatus[] = [];
  for (const cluster of clusterSpecs(config)) {
    const running = clusterRunning(config, cluster);
    const pidFile = join(cluster.dataDir, 'postmaster.pid');
    const pid = running && existsSync(pidFile) ? (readFileSync(pidFile, 'utf8').split('\n')[0] ?? '') : '-';
    const answers = running && (await tcpOpen(config.host, cluster.port));
    rows.push({ component: `postgres-${cluster.name}`, state: answers ? 'up' : running ? 'starting' : 'down', pid, address: `${config.host}:${cluster.port}`, log: cluster.logFile });
  }
  for (const component of jvmComponents(config)) {
    const pid = runningPid(config.runDir, component.spec.name, component.spec.marker);
    const ready = pid !== null && (await componentReady(config, component));
    rows.push({
      component: component.spec.name,
      state: pid === null ? 'down' : ready ? 'up' : 'starting',
      pid: pid === null ? '-' : String(pid),
      address: `${config.host}:${component.port}`,
      log: component.logFile,
    });
  }
  const watchdog = connectWatchdog(config);
  const watchdogPid = runningPid(config.runDir, watchdog.spec.name, watchdog.spec.marker);
  rows.push({ component: watchdog.spec.name, state: watchdogPid === null ? 'down' : 'up', pid: watchdogPid === null ? '-' : String(watchdogPid), address: '-', log: watchdog.logFile });
  return rows;
}

export function formatTable(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

/** Log files by component name, for `infra logs`. */
export function logFiles(config: StackConfig): Record<string, string> {
  const files: Record<string, string> = {};
  for (const cluster of clusterSpecs(config)) files[`postgres-${cluster.name}`] = cluster.logFile;
  for (const component of jvmComponents(config)) files[component.spec.name] = component.logFile;
  files['connect-watchdog'] = connectWatchdog(config).logFile;
  return files;
}

export async function waitForStack(config: StackConfig, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await stackStatus(config);
    if (rows.every((r) => r.state === 'up')) return;
    await sleep(1000);
  }
  throw new Error('the embedded stack is not up: run `npx polluscope infra up`');
}
