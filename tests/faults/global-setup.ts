/**
 * The fault suite runs against the real embedded stack: started here (idempotently), with the five
 * services restarted under the suite's time-scaled idle timeout (1 s). If anything cannot start,
 * every test fails with that message.
 */
import { loadStackConfig } from '../../cli/src/infra/stack-config.js';
import { servicesDown, servicesUp } from '../../cli/src/infra/services.js';
import { stackUp } from '../../cli/src/infra/stack.js';
import { serviceEnv } from './faults.js';

export default async function setup(): Promise<void> {
  const config = loadStackConfig();
  const log = (line: string) => console.log(`[stack] ${line}`);
  await stackUp(config, log);
  await servicesDown(config, log);
  await servicesUp(config, log, serviceEnv);
}
