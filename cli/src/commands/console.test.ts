import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';

const run = (...args: string[]) => buildProgram().exitOverride().parseAsync(['node', 'polluscope', ...args]);

describe('polluscope report (arguments, before any database)', () => {
  it('refuses a day that is not a calendar date, naming the option', async () => {
    for (const day of ['2026-02-30', '2026-13-01', '12/01/2026']) {
      await expect(run('report', '--participant', 'sim-001', '--day', day, '--out', '/tmp/never-written.html'), day).rejects.toThrow(/^--day: not a calendar date/);
    }
    expect(existsSync('/tmp/never-written.html')).toBe(false);
  });

  it('refuses an output that is neither .html nor .pdf', async () => {
    await expect(run('report', '--participant', 'sim-001', '--day', '2026-01-12', '--out', 'day.png')).rejects.toThrow(/^--out: end the file name in \.html or \.pdf/);
  });

  it('refuses a bad setting of the console with its name', async () => {
    await expect(run('report', '--participant', 'sim-001', '--day', '2026-01-12', '--out', 'day.html', '--warehouse-url', 'mysql://x')).rejects.toThrow(/^WAREHOUSE_URL: /);
    await expect(run('console', '--port', 'eighty')).rejects.toThrow(/^PORT: /);
  });
});
