/**
 * The five services as local processes beside the embedded stack: `polluscope services up`
 * starts each compiled server with the stack's endpoints, waits for GET /health to say ready,
 * and `down` stops them gracefully (SIGTERM: finish the batch, commit, leave the group).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES, SERVICES, type ServiceName } from '@polluscope/common';
import { consoleDown } from './console-process.js';
import { runningPid, startProcess, stopProcess, type ProcessSpec } from './processes.js';
import { httpOk, waitUntil } from './readiness.js';
import { jobRoleUrl, readRegistryLogin, schemaRegistryClientEnv } from './stack-secrets.js';
import { stackEndpoints, type StackConfig } from './stack-config.js';

/** Ports of docs/design.md §2, from the services' registry. */
export const SERVICE_PORTS: Readonly<Record<ServiceName, number>> = Object.freeze(
  Object.fromEntries(SERVICE_NAMES.map((name) => [name, SERVICES[name].port])) as Record<ServiceName, number>,
);

/** A service's port on this stack: docs/design.md §2's port plus POLLUSCOPE_SERVICE_PORT_OFFSET. */
export function servicePort(config: StackConfig, name: ServiceName): number {
  return SERVICE_PORTS[name] + config.ports.serviceOffset;
}

export interface LocalService {
  readonly name: ServiceName;
  readonly port: number;
  readonly spec: ProcessSpec;
  readonly logFile: string;
}

export function localServices(config: StackConfig, env: NodeJS.ProcessEnv = process.env): readonly LocalService[] {
  const endpoints = stackEndpoints(config);
  return SERVICE_NAMES.map((name) => {
    const script = join(config.repoRoot, 'services', name, 'dist', 'server.js');
    const port = servicePort(config, name);
    return {
      name,
      port,
      logFile: join(config.logDir, `${name}.log`),
      spec: {
        name,
        command: process.execPath,
        args: [script],
        marker: script,
        env: {
          KAFKA_BROKERS: endpoints.kafkaBrokers,
          SCHEMA_REGISTRY_URL: endpoints.registryUrl,
          // Each service registers its output schemas at start, as the registry's writer.
          ...schemaRegistryClientEnv(readRegistryLogin(config)),
          // Only postprocessing's review API reads the warehouse, as its own read-only role.
          ...(name === 'postprocessing' ? { WAREHOUSE_URL: jobRoleUrl(config, 'api') } : {}),
          HOST: config.host,
          PORT: String(port),
          LOG_LEVEL: env.LOG_LEVEL ?? 'info',
          ...(env.IDLE_TIMEOUT_MS ? { IDLE_TIMEOUT_MS: env.IDLE_TIMEOUT_MS } : {}),
          ...(env.ALLOWED_LATENESS_MS ? { ALLOWED_LATENESS_MS: env.ALLOWED_LATENESS_MS } : {}),
          // The activity model classification-validation loads (and reloads when the file changes).
          ...(env.MODEL_PATH ? { MODEL_PATH: env.MODEL_PATH } : {}),
        },
      },
    };
  });
}

export async function servicesUp(config: StackConfig, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const services = localServices(config, env);
  for (const service of services) {
    if (!existsSync(service.spec.args[0] ?? '')) {
      throw new Error(`${service.name} is not built (${service.spec.args[0]} is missing): run \`npm run build\``);
    }
    startProcess(service.spec, config.runDir, service.logFile);
  }
  for (const service of services) {
    await waitUntil(
      service.name,
      service.logFile,
      config.readyTimeoutMs,
      () => httpOk(`http://${config.host}:${service.port}/health`),
      () => runningPid(config.runDir, service.name, service.spec.marker) !== null,
    );
    log(`${service.name.padEnd(26)} ready on http://${config.host}:${service.port}`);
  }
}

export async function servicesDown(config: StackConfig, log: (line: string) => void): Promise<void> {
  for (const service of localServices(config)) {
    if (await stopProcess(config.runDir, service.name, service.spec.marker, 30_000)) log(`stopped ${service.name}`);
  }
  if (await consoleDown(config)) log('stopped console');
}

export async function servicesStatus(config: StackConfig) {
  return Promise.all(
    localServices(config).map(async (service) => {
      const pid = runningPid(config.runDir, service.name, service.spec.marker);
      const ready = pid !== null && (await httpOk(`http://${config.host}:${service.port}/health`));
      return {
        service: service.name,
        state: pid === null ? 'down' : ready ? 'ready' : 'not ready',
        pid: pid === null ? '-' : String(pid),
        url: `http://${config.host}:${service.port}`,
        log: service.logFile,
      };
    }),
  );
}
