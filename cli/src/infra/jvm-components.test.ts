import { describe, expect, it } from 'vitest';
import { CONNECT_BASIC_AUTH_EXTENSION, CONNECT_ENV_ALLOWLIST_PATTERN, connectEnv, connectRestJaas, connectWorkerEnv, connectWorkerProperties } from './jvm-components.js';
import { processEnv } from './processes.js';
import { loadStackConfig } from './stack-config.js';

const config = loadStackConfig({ POLLUSCOPE_HOME: '/tmp/polluscope-test-home' });
const passwords = { cdc: 'c', sinkPoints: 'p', sinkSegments: 's', sinkReviews: 'r', sinkEpisodes: 'e', sinkExposure: 'x', api: 'a' };

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
    const env = connectWorkerEnv(config, passwords, operatorEnv);
    expect(Object.keys(env).sort()).toEqual(['HOME', 'JAVA_HOME', 'LANG', 'PATH', ...Object.keys(connectEnv(config, passwords))].sort());
    expect(env.PATH).toBe('/usr/bin:/bin');
    // Each connector's own role's password; never the owner's nor the review API's.
    expect(env.POLLUSCOPE_PG_CDC_PASSWORD).toBe('c');
    expect(env.POLLUSCOPE_PG_SINK_POINTS_PASSWORD).toBe('p');
    expect(Object.values(env)).not.toContain(config.pgPassword);
    expect(Object.values(env)).not.toContain('a');
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'PGPASSWORD']) expect(env).not.toHaveProperty(name);
    expect(env).not.toHaveProperty('POLLUSCOPE_UNRELATED');
  });

  it('its own values win over an operator variable of the same name', () => {
    expect(connectWorkerEnv(config, passwords, { POLLUSCOPE_PG_CDC_PASSWORD: passwords.api }).POLLUSCOPE_PG_CDC_PASSWORD).toBe(passwords.cdc);
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
    for (const name of Object.keys(connectEnv(config, passwords))) expect(name).toMatch(allowed);
    for (const name of ['PATH', 'HOME', 'AWS_SECRET_ACCESS_KEY', 'XPOLLUSCOPE_A']) expect(name).not.toMatch(allowed);
  });
});

describe("Connect's REST login", () => {
  it('is Kafka basic-auth extension, checked against a property file named in the JAAS entry Connect reads', () => {
    expect(connectWorkerProperties(config)['rest.extension.classes']).toBe(CONNECT_BASIC_AUTH_EXTENSION);
    expect(connectRestJaas('/srv/secrets/users.properties')).toBe(
      'KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="/srv/secrets/users.properties";\n};\n',
    );
  });

  it('quotes a file name holding a quote or a backslash', () => {
    expect(connectRestJaas('/a "b"\\c')).toContain('file="/a \\"b\\"\\\\c";');
  });
});
