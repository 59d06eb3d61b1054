import { describe, expect, it } from 'vitest';
import { CONNECT_ENV_ALLOWLIST_PATTERN, connectEnv, connectWorkerEnv, connectWorkerProperties } from './jvm-components.js';
import { processEnv } from './processes.js';
import { loadStackConfig } from './stack-config.js';

const config = loadStackConfig({ POLLUSCOPE_HOME: '/tmp/polluscope-test-home' });

describe('the embedded Connect worker', () => {
  it('gets PATH, JAVA_HOME, HOME, locale and the POLLUSCOPE_* its connectors read, nothing else', () => {
    const operatorEnv = {
      PATH: '/usr/bin:/bin',
      JAVA_HOME: '/usr/lib/jvm/java-17',
      HOME: '/home/op',
      LANG: 'C.UTF-8',
      AWS_SECRET_ACCESS_KEY: 'xxx',
      GITHUB_TOKEN: 'xxx',
      PGPASSWORD: 'xxx',
      POLLUSCOPE_UNRELATED: 'not referenced by a connector',
    };
    const env = connectWorkerEnv(config, operatorEnv);
    expect(Object.keys(env).sort()).toEqual(['HOME', 'JAVA_HOME', 'LANG', 'PATH', ...Object.keys(connectEnv(config))].sort());
    expect(env.PATH).toBe('/usr/bin:/bin');
    expect(env.POLLUSCOPE_PG_PASSWORD).toBe(config.pgPassword);
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'PGPASSWORD']) expect(env).not.toHaveProperty(name);
    expect(env).not.toHaveProperty('POLLUSCOPE_UNRELATED');
  });

  it('its own values win over an operator variable of the same name', () => {
    expect(connectWorkerEnv(config, { POLLUSCOPE_PG_USER: 'someone-else' }).POLLUSCOPE_PG_USER).toBe(config.pgUser);
  });

  it('is started with that environment alone; other processes inherit ours', () => {
    const own = { PATH: '/bin', OPERATOR_ONLY: 'o' };
    expect(processEnv({ name: 'connect', command: 'java', args: [], env: { A: '1' }, inheritEnv: false, marker: 'm' }, own)).toEqual({ A: '1' });
    expect(processEnv({ name: 'kafka', command: 'java', args: [], env: { A: '1' }, marker: 'm' }, own)).toEqual({ PATH: '/bin', OPERATOR_ONLY: 'o', A: '1' });
  });

  it("lets the env config provider read POLLUSCOPE_* variables only", () => {
    const properties = connectWorkerProperties(config);
    expect(properties['config.providers']).toBe('env');
    expect(properties['config.providers.env.param.allowlist.pattern']).toBe(CONNECT_ENV_ALLOWLIST_PATTERN);
    const allowed = new RegExp(`^(?:${CONNECT_ENV_ALLOWLIST_PATTERN})$`);
    for (const name of Object.keys(connectEnv(config))) expect(name).toMatch(allowed);
    for (const name of ['PATH', 'HOME', 'AWS_SECRET_ACCESS_KEY', 'XPOLLUSCOPE_A']) expect(name).not.toMatch(allowed);
  });
});
