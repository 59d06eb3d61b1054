/** Waiting for a component to answer, with a deadline and a message that names it and its log. */
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export class NotReadyError extends Error {
  constructor(
    readonly component: string,
    readonly logFile: string,
    detail: string,
  ) {
    super(`${component} did not become ready: ${detail} (log: ${logFile})`);
    this.name = 'NotReadyError';
  }
}

export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function httpOk(url: string, timeoutMs = 2000, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Polls `probe` until it answers true. Fails early when `alive` says the process died,
 * and at the deadline otherwise.
 */
export async function waitUntil(
  component: string,
  logFile: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  alive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (!alive()) throw new NotReadyError(component, logFile, 'the process exited');
    await sleep(500);
  }
  throw new NotReadyError(component, logFile, `${lastError} after ${Math.round(timeoutMs / 1000)} s`);
}
