import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { InputError } from './csv-io.js';
import { UsageError } from './usage-error.js';
import { commandModules } from './commands/index.js';

/** The version of the CLI's package (the project's release). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Builds the `polluscope` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('polluscope')
    .description('Polluscope pipeline: embedded stack, algorithms on CSV files, simulator, loader, benchmarks')
    .version(`polluscope ${cliVersion()} (Node.js ${process.version})`, '-V, --version', 'print the version')
    .showHelpAfterError();
  for (const register of commandModules) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
