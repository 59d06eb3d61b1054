/**
 * The web console as a background process beside the services, so `npm start` leaves it running
 * and prints its address; `services down` stops it with the services.
 */
import { join } from 'node:path';
import { loadConsoleConfig } from '@polluscope/console';
import { runningPid, startProcess, stopProcess, type ProcessSpec } from './processes.js';
import { httpOk, waitUntil } from './readiness.js';
import { stackEndpoints, type StackConfig } from './stack-config.js';
import { jobRoleUrl, readRegistryLogin, schemaRegistryClientEnv } from './stack-secrets.js';

/** The console's port: its default (8010) shifted like the services' ports. */
export const consolePort = (config: StackConfig): number => loadConsoleConfig({}).port + config.ports.serviceOffset;

export function localConsole(config: StackConfig): { spec: ProcessSpec; logFile: string; url: string } {
  const bin = join(config.repoRoot, 'cli', 'bin', 'polluscope.js');
  // The console's own default login (the researcher's), on this stack's warehouse port.
  const warehouse = new URL(loadConsoleConfig({}).warehouseUrl);
  warehouse.hostname = config.host;
  warehouse.port = String(config.ports.warehouse);
  const port = consolePort(config);
  const endpoints = stackEndpoints(config);
  return {
    spec: {
      name: 'console',
      command: process.execPath,
      args: [bin, 'console'],
      marker: `${bin} console`,
      // Review: reviewers' accounts read through the review API's read-only role, decisions produced to this
      // stack's Kafka. The environment is inherited: SESSION_SECRET, if set, keeps sessions across restarts.
      env: {
        HOST: config.host,
        PORT: String(port),
        WAREHOUSE_URL: warehouse.toString(),
        REVIEW_WAREHOUSE_URL: jobRoleUrl(config, 'api'),
        KAFKA_BROKERS: endpoints.kafkaBrokers,
        SCHEMA_REGISTRY_URL: endpoints.registryUrl,
        // Producing the first decision registers its schema, as the registry's writer.
        ...schemaRegistryClientEnv(readRegistryLogin(config)),
      },
    },
    logFile: join(config.logDir, 'console.log'),
    url: `http://${config.host}:${port}`,
  };
}

/** Starts the console unless it runs, waits until it answers; returns its address. */
export async function consoleUp(config: StackConfig): Promise<string> {
  const { spec, logFile, url } = localConsole(config);
  startProcess(spec, config.runDir, logFile);
  await waitUntil('console', logFile, config.readyTimeoutMs, () => httpOk(`${url}/api/settings`), () => runningPid(config.runDir, spec.name, spec.marker) !== null);
  return url;
}

export async function consoleDown(config: StackConfig): Promise<boolean> {
  const { spec } = localConsole(config);
  return stopProcess(config.runDir, spec.name, spec.marker, 10_000);
}
