/** The pipeline benchmarks run against the embedded stack `npm start` leaves running. */
import { stackStatus } from '../../cli/src/infra/stack.js';
import type { StackConfig } from '../../cli/src/infra/stack-config.js';

export async function requireStack(config: StackConfig): Promise<void> {
  const notUp = (await stackStatus(config)).filter((c) => c.state !== 'up');
  if (notUp.length > 0) {
    throw new Error(
      `the embedded stack (${config.home}) is not running: ${notUp.map((c) => `${c.component} ${c.state}`).join(', ')}. Run \`npm start\` first (or \`npx polluscope infra up\`).`,
    );
  }
}
