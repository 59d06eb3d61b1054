import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadStackConfig } from '../infra/stack-config.js';
import { servicesDown, servicesStatus, servicesUp } from '../infra/services.js';
import { formatTable, logFiles, stackDown, stackStatus, stackUp } from '../infra/stack.js';

const say = (line: string) => console.log(line);

export function registerInfraCommands(program: Command): void {
  const infra = program.command('infra').description('the embedded stack: PostgreSQL ×2, ZooKeeper, Kafka, Apicurio Registry, Kafka Connect');
  infra
    .command('up')
    .description('set up what is missing, start every component and wait until each answers (idempotent)')
    .action(async () => {
      await stackUp(loadStackConfig(), say);
    });
  infra
    .command('down')
    .description('stop the components this stack started')
    .action(async () => {
      await stackDown(loadStackConfig(), say);
    });
  infra
    .command('status')
    .description('a table of the components, their pid, address and log file')
    .action(async () => {
      const rows = await stackStatus(loadStackConfig());
      say(formatTable(rows.map((r) => ({ ...r }))));
      if (rows.some((r) => r.state !== 'up')) process.exitCode = 3;
    });
  infra
    .command('logs')
    .argument('[component]', 'component name (see `infra status`); all when omitted')
    .option('-n, --lines <n>', 'lines from the end of each log', '40')
    .description('print the end of the components\' log files')
    .action((component: string | undefined, options: { lines: string }) => {
      const files = logFiles(loadStackConfig());
      const names = component ? [component] : Object.keys(files);
      for (const name of names) {
        const file = files[name];
        if (file === undefined) throw new Error(`unknown component "${name}"; one of: ${Object.keys(files).join(', ')}`);
        say(`==> ${name} (${file}) <==`);
        if (!existsSync(file)) {
          say('(no log yet)');
          continue;
        }
        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        say(lines.slice(-Number(options.lines)).join('\n'));
      }
    });
}

export function registerServicesCommands(program: Command): void {
  const services = program.command('services').description('the five pipeline services as local processes beside the embedded stack');
  services
    .command('up')
    .description('start the five services (built with `npm run build`) and wait until each is ready')
    .action(async () => {
      await servicesUp(loadStackConfig(), say);
    });
  services
    .command('down')
    .description('stop the services gracefully')
    .action(async () => {
      await servicesDown(loadStackConfig(), say);
    });
  services
    .command('status')
    .description('a table of the services, their state and log file')
    .action(async () => {
      const rows = await servicesStatus(loadStackConfig());
      say(formatTable(rows));
      if (rows.some((r) => r.state !== 'ready')) process.exitCode = 3;
    });
}
