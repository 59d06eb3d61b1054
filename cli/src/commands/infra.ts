import type { Command } from 'commander';
import { loadStackConfig } from '../infra/stack-config.js';
import { localServices, servicesDown, servicesStatus, servicesUp } from '../infra/services.js';
import { formatTable, logFiles, stackDown, stackStatus, stackUp } from '../infra/stack.js';
import { followLogs, printLogEnds } from '../operations/log-files.js';

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
    .argument('[component]', 'component name (see `infra status`) or service name; all components when omitted')
    .option('-n, --lines <n>', 'lines from the end of each log', '40')
    .option('-f, --follow', 'keep printing what is appended')
    .description('print the end of the components\' log files')
    .action(async (component: string | undefined, options: { lines: string; follow?: boolean }) => {
      const config = loadStackConfig();
      await showLogs({ ...logFiles(config), ...serviceLogFiles() }, component ? [component] : Object.keys(logFiles(config)), options);
    });
}

const serviceLogFiles = () => Object.fromEntries(localServices(loadStackConfig()).map((s) => [s.name, s.logFile]));

async function showLogs(files: Readonly<Record<string, string>>, names: readonly string[], options: { lines: string; follow?: boolean }): Promise<void> {
  const lines = Number(options.lines);
  if (!Number.isInteger(lines) || lines < 0) throw new Error(`--lines ${options.lines}: a whole number ≥ 0`);
  const unknown = names.filter((n) => files[n] === undefined);
  if (unknown.length > 0) throw new Error(`unknown component "${unknown.join(', ')}"; one of: ${Object.keys(files).join(', ')}`);
  const chosen = Object.fromEntries(names.map((n) => [n, files[n]!]));
  printLogEnds(chosen, lines, say);
  if (options.follow) await followLogs(chosen, say);
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
    .command('logs')
    .argument('[service]', 'one service; all five when omitted')
    .option('-n, --lines <n>', 'lines from the end of each log', '40')
    .option('-f, --follow', 'keep printing what is appended (Ctrl-C to stop)')
    .description('print the end of the services\' JSON logs')
    .action(async (service: string | undefined, options: { lines: string; follow?: boolean }) => {
      const files = serviceLogFiles();
      await showLogs(files, service ? [service] : Object.keys(files), options);
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
