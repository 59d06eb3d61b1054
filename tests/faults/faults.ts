/**
 * The faults the suite injects into the running embedded stack (docs/design.md §4, "The live
 * guarantee"), each returning once the faulty part is back. `FAULTS` lists one entry per case.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_NAMES, type ServiceName } from '@polluscope/common';
import { jvmComponents } from '../../cli/src/infra/jvm-components.js';
import { clusterSpecs, startCluster, stopCluster, type ClusterName } from '../../cli/src/infra/postgres.js';
import { runningPid, startProcess, stopProcess } from '../../cli/src/infra/processes.js';
import { httpOk, waitUntil } from '../../cli/src/infra/readiness.js';
import { localServices, servicesUp } from '../../cli/src/infra/services.js';
import { stackUp } from '../../cli/src/infra/stack.js';
import { stackConfig } from '../integration/stack.js';
import type { Random } from './campaign.js';
import { LIVE_IDLE_TIMEOUT_MS } from './kit-feed.js';

/** The services' environment during the suite: the time-scaled idle timeout. */
export const serviceEnv: NodeJS.ProcessEnv = { ...process.env, IDLE_TIMEOUT_MS: String(LIVE_IDLE_TIMEOUT_MS), LOG_LEVEL: 'info' };
/** The consumers' session timeout (stream-runner.ts): a pause longer than it costs the member its partitions. */
const SESSION_TIMEOUT_MS = 30_000;
const OUTAGE_MS = 30_000;

const log = (line: string) => console.log(`[fault] ${line}`);

function servicePid(name: string, marker: string): number {
  const pid = runningPid(stackConfig.runDir, name, marker);
  if (pid === null) throw new Error(`${name} is not running: cannot inject its fault`);
  return pid;
}

const serviceMarker = (name: ServiceName, env: NodeJS.ProcessEnv) => localServices(stackConfig, env).find((s) => s.name === name)!.spec.marker;

/** `kill -9` of one service, then the service started again as an operator would (with `env`). */
export async function killService(name: ServiceName, env: NodeJS.ProcessEnv = serviceEnv): Promise<void> {
  const pid = servicePid(name, serviceMarker(name, env));
  process.kill(pid, 'SIGKILL');
  log(`killed ${name} (pid ${pid}) with SIGKILL`);
  await sleep(2000);
  await servicesUp(stackConfig, log, env);
}

/** SIGTERM of one service (it finishes its batch, commits and leaves), then started again with `env`. */
export async function terminateService(name: ServiceName, env: NodeJS.ProcessEnv = serviceEnv): Promise<void> {
  if (!(await stopProcess(stackConfig.runDir, name, serviceMarker(name, env), 30_000))) throw new Error(`${name} was not running: cannot inject its SIGTERM`);
  log(`stopped ${name} with SIGTERM`);
  await servicesUp(stackConfig, log, env);
}

/** SIGSTOP of one service past the session timeout (its group drops it), then SIGCONT. */
async function pauseService(name: ServiceName): Promise<void> {
  const pid = servicePid(name, serviceMarker(name, serviceEnv));
  process.kill(pid, 'SIGSTOP');
  log(`SIGSTOP ${name} (pid ${pid}) for ${(SESSION_TIMEOUT_MS + 5000) / 1000} s`);
  await sleep(SESSION_TIMEOUT_MS + 5000);
  process.kill(pid, 'SIGCONT');
  log(`SIGCONT ${name}`);
}

function jvmComponent(name: string) {
  const component = jvmComponents(stackConfig).find((c) => c.spec.name === name);
  if (!component) throw new Error(`no embedded component named ${name}`);
  return component;
}

/** `stackUp`, tried again while a component cannot start yet (a killed broker's ZooKeeper session must expire first). */
async function stackBackUp(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await stackUp(stackConfig, log);
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
      log(`stack not back yet (${(err as Error).message.split('\n')[0]}); again in 10 s`);
      await sleep(10_000);
    }
  }
}

/** `kill -9` of the broker or of Connect, then the stack brought back up. */
async function killJvmComponent(name: 'kafka' | 'connect'): Promise<void> {
  const { spec } = jvmComponent(name);
  const pid = servicePid(spec.name, spec.marker);
  process.kill(pid, 'SIGKILL');
  log(`killed ${name} (pid ${pid}) with SIGKILL`);
  await sleep(2000);
  await stackBackUp();
}

/** The schema registry stopped for 30 s, then the stack brought back up. */
async function stopRegistryFor(downMs: number): Promise<void> {
  const { spec } = jvmComponent('registry');
  await stopProcess(stackConfig.runDir, spec.name, spec.marker, 30_000);
  log(`stopped the registry for ${downMs / 1000} s`);
  await sleep(downMs);
  await stackBackUp();
}

/** A PostgreSQL cluster stopped for `downMs`, then started again (with the connectors' recovery). */
async function stopDatabaseFor(name: ClusterName, downMs: number): Promise<void> {
  const cluster = clusterSpecs(stackConfig).find((c) => c.name === name)!;
  stopCluster(stackConfig, cluster);
  log(`stopped the ${name} database for ${downMs / 1000} s`);
  await sleep(downMs);
  startCluster(stackConfig, cluster);
  log(`${name} database started again`);
  await stackBackUp();
}

const REPLICA_PORT_SHIFT = 50;

/** A second replica of every service joins its consumer group, works a while, then leaves (SIGTERM). */
async function secondReplicasJoinThenLeave(stayMs: number): Promise<void> {
  const replicas = localServices(stackConfig, serviceEnv).map((service) => ({
    ...service,
    spec: { ...service.spec, name: `${service.name}-replica`, env: { ...service.spec.env, PORT: String(service.port + REPLICA_PORT_SHIFT) } },
    port: service.port + REPLICA_PORT_SHIFT,
  }));
  for (const replica of replicas) startProcess(replica.spec, stackConfig.runDir, replica.logFile);
  for (const replica of replicas) {
    await waitUntil(
      replica.spec.name,
      replica.logFile,
      stackConfig.readyTimeoutMs,
      () => httpOk(`http://${stackConfig.host}:${replica.port}/health`),
      () => runningPid(stackConfig.runDir, replica.spec.name, replica.spec.marker) !== null,
    );
  }
  log('second replicas joined');
  await sleep(stayMs);
  for (const replica of replicas) await stopProcess(stackConfig.runDir, replica.spec.name, replica.spec.marker, 30_000);
  log('second replicas left');
}

export interface Fault {
  readonly name: string;
  /** Injects the fault (choices drawn from `next`) and resolves once the stack is whole again. */
  readonly inject: (next: Random) => Promise<void>;
}

export const FAULTS: readonly Fault[] = [
  ...SERVICE_NAMES.map((name) => ({ name: `kill -9 ${name}`, inject: () => killService(name) })),
  ...SERVICE_NAMES.map((name) => ({ name: `SIGTERM ${name}`, inject: () => terminateService(name) })),
  { name: 'kill -9 broker', inject: () => killJvmComponent('kafka') },
  { name: 'kill -9 connect', inject: () => killJvmComponent('connect') },
  {
    name: 'SIGSTOP a service past the session timeout',
    inject: (next) => pauseService(SERVICE_NAMES[Math.floor(next() * SERVICE_NAMES.length)]!),
  },
  { name: 'registry stopped 30 s', inject: () => stopRegistryFor(OUTAGE_MS) },
  { name: 'rawdata stopped 30 s', inject: () => stopDatabaseFor('rawdata', OUTAGE_MS) },
  { name: 'warehouse stopped 30 s', inject: () => stopDatabaseFor('warehouse', OUTAGE_MS) },
  { name: 'rebalance: second replicas join, then leave', inject: () => secondReplicasJoinThenLeave(8000) },
];
