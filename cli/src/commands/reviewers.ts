/**
 * `polluscope reviewers add NAME`: creates a reviewer account in the warehouse (docs/design.md §5.6),
 * the login the review API asks for. The password is read from a prompt on a terminal (twice,
 * not echoed) or from standard input otherwise, never from the command line, where other users'
 * `ps` and the shell history would see it.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import pg from 'pg';
import { hashReviewerPassword, passwordProblem, reviewerNameProblem, WarehouseReviewers } from '@polluscope/postprocessing';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';
import { UsageError } from '../usage-error.js';

/**
 * The password piped on standard input: its one line, without the line break. More lines are a
 * mistake (a file of several passwords?) rather than a password.
 *
 * @example passwordFromPipe('correct horse battery\n') // 'correct horse battery'
 */
export function passwordFromPipe(text: string): string {
  const password = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new UsageError('standard input: one line expected, the password');
  return password;
}

/** Reads one line from the terminal without echoing what is typed. */
function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, output, terminal: true });
    // readline echoes through _writeToOutput; print the question only.
    const writable = rl as unknown as { _writeToOutput: (text: string) => void };
    output.write(question);
    writable._writeToOutput = () => undefined;
    rl.on('SIGINT', () => {
      rl.close();
      output.write('\n');
      reject(new UsageError('cancelled'));
    });
    rl.question('', (answer) => {
      rl.close();
      output.write('\n');
      resolve(answer);
    });
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/** The new password: prompted twice on a terminal, else the one line of standard input. */
export async function readNewPassword(name: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (input.isTTY !== true) return passwordFromPipe(await readAll(input));
  const first = await promptHidden(`password for reviewer ${name}: `, input, output);
  const again = await promptHidden('the same password again: ', input, output);
  if (first !== again) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

/** PostgreSQL's SQLSTATE for a table that does not exist. */
const UNDEFINED_TABLE = '42P01';

interface AddOptions {
  readonly replace?: boolean;
  readonly databaseUrl?: string;
}

export function registerReviewersCommands(program: Command): void {
  const reviewers = program.command('reviewers').description('reviewer accounts of the review API (POST /reviews needs one)');
  reviewers
    .command('add')
    .description('create a reviewer account; the password is prompted for, or read from standard input')
    .argument('<name>', 'login name, recorded as the reviewer of each decision')
    .option('--replace', 'set a new password if the account exists')
    .option('--database-url <url>', "warehouse (default: the embedded stack's)")
    .addHelpText(
      'after',
      '\nThe password (12 to 256 characters) is never an argument: type it at the prompt, or pipe it:\n' +
        '  printf %s "$PASSWORD" | polluscope reviewers add alice\n' +
        'It is stored as an Argon2id hash in the warehouse table reviewers.',
    )
    .action(async (name: string, options: AddOptions) => {
      const nameProblem = reviewerNameProblem(name);
      if (nameProblem !== null) throw new UsageError(nameProblem);
      const password = await readNewPassword(name);
      const problem = passwordProblem(password);
      if (problem !== null) throw new UsageError(problem);
      const passwordHash = await hashReviewerPassword(password);
      const client = new pg.Client({ connectionString: options.databaseUrl ?? stackEndpoints(loadStackConfig()).warehouseUrl, application_name: 'polluscope reviewers' });
      await client.connect();
      try {
        const outcome = await new WarehouseReviewers(client).add(name, passwordHash, options.replace === true).catch((err: unknown) => {
          if ((err as { code?: string }).code === UNDEFINED_TABLE) {
            throw new UsageError('the warehouse has no table reviewers yet: run `polluscope infra up` (it applies infrastructure/postgres/warehouse/*.sql), or apply 001-tables.sql and 004-roles.sql');
          }
          throw err;
        });
        if (outcome === 'exists') throw new UsageError(`reviewer ${name} exists; --replace sets a new password`);
        console.log(outcome === 'added' ? `reviewer ${name} added` : `reviewer ${name}: password replaced`);
      } finally {
        await client.end();
      }
    });
}
