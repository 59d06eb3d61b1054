/**
 * Integration tests run against the real embedded stack: it is started here (idempotently), and
 * the five services are (re)started from their compiled servers with a short idle timeout so that
 * the tails of small test inputs are flushed in seconds rather than the production 30 s.
 * If anything cannot start, this throws and every integration test fails with that message.
 */
import { loadStackConfig } from '../../cli/src/infra/stack-config.js';
import { servicesDown, servicesUp } from '../../cli/src/infra/services.js';
import { stackUp } from '../../cli/src/infra/stack.js';

export const TEST_IDLE_TIMEOUT_MS = '3000';

export default async function setup(): Promise<() => Promise<void>> {
  const config = loadStackConfig();
  const log = (line: string) => console.log(`[stack] ${line}`);
  await stackUp(config, log);
  await servicesDown(config, log);
  await servicesUp(config, log, { ...process.env, IDLE_TIMEOUT_MS: TEST_IDLE_TIMEOUT_MS, LOG_LEVEL: 'info' });
  return async () => {
    await servicesDown(config, log);
  };
}
