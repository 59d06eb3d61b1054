/**
 * `polluscope console` starts the web console (participants, a participant's day) and
 * `polluscope report` writes a participant-day as a self-contained HTML or PDF file, both reading
 * the warehouse as the researcher (docs/design.md §8).
 */
import type { Command } from 'commander';
import { ConsoleConfigError, loadConsoleConfig, NoDataError, startConsole, writeDayReport } from '@polluscope/console';
import { UsageError } from '../usage-error.js';

/** The console's settings from the environment, with command-line options on top. */
function consoleSettings(overrides: Record<string, string | undefined>) {
  try {
    return loadConsoleConfig({ ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  } catch (err) {
    if (err instanceof ConsoleConfigError) throw new UsageError(err.message);
    throw err;
  }
}

export function registerConsoleCommands(program: Command): void {
  program
    .command('console')
    .description('start the web console (participants and days, a participant-day with series, map, exposure and data quality) at http://HOST:PORT/')
    .option('--port <port>', 'TCP port (env PORT, default 8010)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--warehouse-url <url>', "the warehouse as a read-only researcher (env WAREHOUSE_URL, default local development's researcher_login)")
    .option('--review-warehouse-url <url>', 'enables the review queue and reviewers\' login: a warehouse login that may read the table reviewers (env REVIEW_WAREHOUSE_URL; decisions go to KAFKA_BROKERS)')
    .action(async (options: { port?: string; host?: string; warehouseUrl?: string; reviewWarehouseUrl?: string }) => {
      const config = consoleSettings({ PORT: options.port, HOST: options.host, WAREHOUSE_URL: options.warehouseUrl, REVIEW_WAREHOUSE_URL: options.reviewWarehouseUrl });
      const { url } = await startConsole(config);
      console.log(`console: ${url}/ (Ctrl-C to stop)${config.review === null ? '; read-only (no REVIEW_WAREHOUSE_URL: no review queue)' : '; reviewers log in at #/login'}`);
    });

  program
    .command('report')
    .description('write a participant-day as one self-contained HTML file (inline SVG, no script), or a PDF printed by headless Chromium when --out ends in .pdf')
    .requiredOption('--participant <id>', 'participant_virtual_id')
    .requiredOption('--day <YYYY-MM-DD>', 'local day (Europe/Paris unless TIME_ZONE says otherwise)')
    .requiredOption('--out <file>', 'output file, .html or .pdf')
    .option('--warehouse-url <url>', 'the warehouse as a read-only researcher (env WAREHOUSE_URL)')
    .option('--chromium <path>', 'Chromium for PDF output (env CHROMIUM_PATH, default /usr/bin/chromium)')
    .action(async (options: { participant: string; day: string; out: string; warehouseUrl?: string; chromium?: string }) => {
      // Date.parse rolls 2026-02-30 over to March: the day must read back as written.
      const dayMs = Date.parse(`${options.day}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day) || Number.isNaN(dayMs) || new Date(dayMs).toISOString().slice(0, 10) !== options.day) {
        throw new UsageError(`--day: not a calendar date YYYY-MM-DD: "${options.day}"`);
      }
      if (!/\.(html?|pdf)$/i.test(options.out)) throw new UsageError(`--out: end the file name in .html or .pdf: "${options.out}"`);
      const config = consoleSettings({ WAREHOUSE_URL: options.warehouseUrl });
      try {
        const { format, bytes } = await writeDayReport({
          participant: options.participant,
          day: options.day,
          out: options.out,
          warehouseUrl: config.warehouseUrl,
          timeZone: config.timeZone,
          chromiumPath: options.chromium ?? process.env.CHROMIUM_PATH,
        });
        console.log(`report: ${options.out} (${format}, ${bytes} bytes)`);
      } catch (err) {
        if (err instanceof NoDataError) throw new UsageError(err.message);
        throw err;
      }
    });
}
