import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { passwordFromPipe, readNewPassword } from './reviewers.js';

describe('polluscope reviewers add', () => {
  it('reads the piped password without its line break', async () => {
    expect(passwordFromPipe('correct horse battery\n')).toBe('correct horse battery');
    expect(passwordFromPipe('correct horse battery\r\n')).toBe('correct horse battery');
    expect(passwordFromPipe('no line break')).toBe('no line break');
    expect(() => passwordFromPipe('one\ntwo\n')).toThrow('standard input: one line expected, the password');
    const piped = Readable.from([Buffer.from('from a pipe, '), Buffer.from('in two chunks\n')]) as unknown as NodeJS.ReadStream;
    expect(await readNewPassword('alice', piped)).toBe('from a pipe, in two chunks');
  });

  it('takes no password on the command line', async () => {
    const program = buildProgram().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    for (const command of program.commands) command.exitOverride().configureOutput({ writeErr: () => undefined });
    const reviewers = program.commands.find((c) => c.name() === 'reviewers');
    const add = reviewers?.commands.find((c) => c.name() === 'add');
    expect(add?.options.map((o) => o.long)).toEqual(['--replace', '--database-url']);
    add?.exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['node', 'polluscope', 'reviewers', 'add', 'alice', '--password', 'x'])).rejects.toThrow(/unknown option '--password'/);
  });

  it('refuses a name that cannot log in before asking for a password', async () => {
    const program = buildProgram();
    await expect(program.parseAsync(['node', 'polluscope', 'reviewers', 'add', 'al:ice'])).rejects.toThrow(/reviewer name "al:ice": 1 to 64 characters/);
  });
});
