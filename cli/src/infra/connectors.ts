/**
 * Registers connectors/*.json with Kafka Connect, idempotently: a connector whose stored
 * configuration already equals its file is left alone (a PUT, even of the same configuration,
 * restarts the connector and can reassign its tasks mid-batch).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectRest } from './stack-secrets.js';

/** How long one Connect REST call may take: a call whose answer never comes must not hold `infra up`. */
const CONNECT_REQUEST_TIMEOUT_MS = 30_000;

/** A request to the Connect REST API with its login and a deadline. */
export function connectFetch(api: ConnectRest, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    signal: AbortSignal.timeout(CONNECT_REQUEST_TIMEOUT_MS),
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), authorization: api.authorization },
  });
}

export interface ConnectorFile {
  readonly name: string;
  readonly config: Record<string, string>;
}

export function readConnectorFiles(repoRoot: string): readonly ConnectorFile[] {
  const dir = join(repoRoot, 'connectors');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConnectorFile;
      if (typeof parsed.name !== 'string' || typeof parsed.config !== 'object') {
        throw new Error(`connectors/${f}: expected { "name": string, "config": object }`);
      }
      return parsed;
    });
}

/** Whether Connect's stored configuration (which adds `name`) is the file's, key for key. */
export function sameConnectorConfig(stored: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, string>>): boolean {
  const storedKeys = Object.keys(stored).filter((k) => k !== 'name');
  const wantedKeys = Object.keys(wanted).filter((k) => k !== 'name');
  return storedKeys.length === wantedKeys.length && wantedKeys.every((k) => stored[k] === wanted[k]);
}

async function storedConfig(api: ConnectRest, name: string): Promise<Record<string, unknown> | null> {
  const response = await connectFetch(api, `/connectors/${encodeURIComponent(name)}/config`);
  if (response.status === 401 || response.status === 403) throw new Error(`Kafka Connect refused the login (${response.status}): ${await response.text()}`);
  return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
}

export async function registerConnectors(api: ConnectRest, connectors: readonly ConnectorFile[]): Promise<void> {
  for (const connector of connectors) {
    const stored = await storedConfig(api, connector.name);
    if (stored !== null && sameConnectorConfig(stored, connector.config)) continue;
    const response = await connectFetch(api, `/connectors/${encodeURIComponent(connector.name)}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(connector.config),
    });
    if (!response.ok) {
      throw new Error(`Kafka Connect refused ${connector.name} (${response.status}): ${await response.text()}`);
    }
  }
}

export interface ConnectorState {
  readonly name: string;
  readonly state: string;
  readonly tasks: readonly string[];
  readonly trace?: string;
}

export async function connectorStates(api: ConnectRest, names: readonly string[]): Promise<ConnectorState[]> {
  return Promise.all(
    names.map(async (name) => {
      const response = await connectFetch(api, `/connectors/${encodeURIComponent(name)}/status`);
      if (!response.ok) return { name, state: response.status === 404 ? 'MISSING' : `HTTP ${response.status}`, tasks: [] };
      const body = (await response.json()) as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
      const trace = body.tasks.find((t) => t.trace)?.trace;
      return { name, state: body.connector.state, tasks: body.tasks.map((t) => t.state), ...(trace ? { trace } : {}) };
    }),
  );
}

/** Restarts a connector and its failed tasks (Kafka Connect 3.0+: includeTasks, onlyFailed). */
export async function restartConnector(api: ConnectRest, name: string): Promise<void> {
  const response = await connectFetch(api, `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=true`, { method: 'POST' });
  if (!response.ok && response.status !== 202 && response.status !== 204) {
    throw new Error(`Kafka Connect refused to restart ${name} (${response.status}): ${await response.text()}`);
  }
}
