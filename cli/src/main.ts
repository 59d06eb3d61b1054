import { Command } from 'commander';
import { InputError } from './csv-io.js';
import { commandModules } from './commands/index.js';

/** Builds the `polluscope` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('polluscope')
    .description('Polluscope pipeline: embedded stack, algorithms on CSV files, simulator, loader, benchmarks')
    .showHelpAfterError();
  for (const register of commandModules) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
