import { describe, expect, it } from 'vitest';
import { specFingerprint, type ProcessSpec } from './processes.js';

const connect: ProcessSpec = { name: 'connect', command: 'java', args: ['-Xmx1g', 'Main'], env: { PATH: '/usr/bin', POLLUSCOPE_A: '1' }, marker: 'm' };

describe('a process fingerprint', () => {
  it('stays the same when only inherited variables differ (a test runner prepends to PATH)', () => {
    const fromTests = { ...connect, env: { ...connect.env, PATH: '/repo/node_modules/.bin:/usr/bin', HOME: '/root' } };
    expect(specFingerprint(fromTests, ['PATH', 'HOME'])).toBe(specFingerprint(connect, ['PATH', 'HOME']));
  });

  it('changes with an argument or a setting the process is given, whatever the order of the variables', () => {
    const base = specFingerprint(connect, ['PATH']);
    expect(specFingerprint({ ...connect, args: ['-Xmx2g', 'Main'] }, ['PATH'])).not.toBe(base);
    expect(specFingerprint({ ...connect, env: { ...connect.env, POLLUSCOPE_B: 'new password' } }, ['PATH'])).not.toBe(base);
    expect(specFingerprint({ ...connect, env: { POLLUSCOPE_A: '1', PATH: '/usr/bin' } }, ['PATH'])).toBe(base);
  });
});
