/**
 * The faults the suite injects into the running embedded stack, each one returning once the
 * faulty part is back (or gone again, for the extra replicas).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@polluscope/common';
import { jvmComponents } from '../../cli/src/infra/jvm-components.js';
import { clusterSpecs, startCluster, stopCluster } from '../../cli/src/infra/postgres.js';
import { runningPid, startProcess, stopProcess } from '../../cli/src/infra/processes.js';
import { httpOk, waitUntil } from '../../cli/src/infra/readiness.js';
import { localServices, servicesUp } from '../../cli/src/infra/services.js';
import { stackUp } from '../../cli/src/infra/stack.js';
import { stackConfig } from '../integration/stack.js';

/** Services run with this idle timeout during the suite: longer than any outage below, so tails are not flushed early. */
export const FAULT_SUITE_IDLE_TIMEOUT_MS = '45000';
export const serviceEnv: NodeJS.ProcessEnv = { ...process.env, IDLE_TIMEOUT_MS: FAULT_SUITE_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' };

const log = (line: string) => console.log(`[fault] ${line}`);

/** `kill -9` of one service, then the service started again as an operator would (with `env`). */
export async function killService(name: ServiceName, env: NodeJS.ProcessEnv = serviceEnv): Promise<void> {
  const service = localServices(stackConfig, env).find((s) => s.name === name)!;
  const pid = runningPid(stackConfig.runDir, name, service.spec.marker);
  if (pid === null) throw new Error(`${name} is not running: cannot inject its kill -9`);
  process.kill(pid, 'SIGKILL');
  log(`killed ${name} (pid ${pid}) with SIGKILL`);
  await sleep(2000);
  await servicesUp(stackConfig, log, env);
}

/** SIGTERM of one service (it finishes its batch, commits and leaves), then started again with `env`. */
export async function terminateService(name: ServiceName, env: NodeJS.ProcessEnv = serviceEnv): Promise<void> {
  const service = localServices(stackConfig, env).find((s) => s.name === name)!;
  if (!(await stopProcess(stackConfig.runDir, name, service.spec.marker, 30_000))) throw new Error(`${name} was not running: cannot inject its SIGTERM`);
  log(`stopped ${name} with SIGTERM`);
  await servicesUp(stackConfig, log, env);
}

function jvmComponent(name: string) {
  const component = jvmComponents(stackConfig).find((c) => c.spec.name === name);
  if (!component) throw new Error(`no embedded component named ${name}`);
  return component;
}

/** Stops a JVM component (SIGTERM, as a restart would) and brings the stack back up. */
async function restartJvmComponent(name: 'kafka' | 'connect'): Promise<void> {
  const { spec } = jvmComponent(name);
  await stopProcess(stackConfig.runDir, spec.name, spec.marker, 60_000);
  log(`stopped ${name}`);
  await stackUp(stackConfig, log);
}

export const restartBroker = () => restartJvmComponent('kafka');
export const restartConnect = () => restartJvmComponent('connect');

/** The warehouse database stopped for `downMs`, then started again. */
export async function stopWarehouseFor(downMs: number): Promise<void> {
  const warehouse = clusterSpecs(stackConfig).find((c) => c.name === 'warehouse')!;
  stopCluster(stackConfig, warehouse);
  log(`stopped the warehouse database for ${downMs / 1000} s`);
  await sleep(downMs);
  startCluster(stackConfig, warehouse);
  log('warehouse database started again');
}

const REPLICA_PORT_SHIFT = 50;

/** A second replica of every service joins its consumer group, works a while, then leaves (SIGTERM). */
export async function secondReplicasJoinThenLeave(stayMs: number): Promise<void> {
  const replicas = localServices(stackConfig, serviceEnv).map((service) => ({
    ...service,
    spec: {
      ...service.spec,
      name: `${service.name}-replica`,
      env: { ...service.spec.env, PORT: String(service.port + REPLICA_PORT_SHIFT) },
    },
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
