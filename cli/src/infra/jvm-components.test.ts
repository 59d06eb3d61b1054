import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONNECT_BASIC_AUTH_EXTENSION,
  CONNECT_ENV_ALLOWLIST_PATTERN,
  connectEnv,
  connectRestJaas,
  connectWorkerEnv,
  connectWorkerProperties,
  registrySecurityEnv,
  registrySecurityFile,
} from './jvm-components.js';
import { processEnv } from './processes.js';
import { loadStackConfig } from './stack-config.js';
import { REGISTRY_WRITER_USER } from './stack-secrets.js';

const config = loadStackConfig({ POLLUSCOPE_HOME: '/tmp/polluscope-test-home' });
const passwords = { cdc: 'c', sinkPoints: 'p', sinkSegments: 's', sinkReviews: 'r', sinkEpisodes: 'e', sinkExposure: 'x', api: 'a' };
const registryLogin = { username: REGISTRY_WRITER_USER, password: randomBytes(12).toString('hex') };

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
    const env = connectWorkerEnv(config, passwords, registryLogin, operatorEnv);
    expect(Object.keys(env).sort()).toEqual(['HOME', 'JAVA_HOME', 'LANG', 'PATH', ...Object.keys(connectEnv(config, passwords, registryLogin))].sort());
    expect(env.PATH).toBe('/usr/bin:/bin');
    // Each connector's own role's password; never the owner's nor the review API's.
    expect(env.POLLUSCOPE_PG_CDC_PASSWORD).toBe('c');
    expect(env.POLLUSCOPE_PG_SINK_POINTS_PASSWORD).toBe('p');
    expect(Object.values(env)).not.toContain(config.pgPassword);
    expect(Object.values(env)).not.toContain('a');
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'PGPASSWORD']) expect(env).not.toHaveProperty(name);
    expect(env).not.toHaveProperty('POLLUSCOPE_UNRELATED');
    // The converters register schemas as the registry's writer.
    expect([env.POLLUSCOPE_REGISTRY_USER, env.POLLUSCOPE_REGISTRY_PASSWORD]).toEqual([REGISTRY_WRITER_USER, registryLogin.password]);
  });

  it('its own values win over an operator variable of the same name', () => {
    expect(connectWorkerEnv(config, passwords, registryLogin, { POLLUSCOPE_PG_CDC_PASSWORD: passwords.api }).POLLUSCOPE_PG_CDC_PASSWORD).toBe(passwords.cdc);
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
    for (const name of Object.keys(connectEnv(config, passwords, registryLogin))) expect(name).toMatch(allowed);
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

/** key=value lines of a Java properties file (no continuation lines in ours). */
function readProperties(file: string): Map<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !/^\s*[#!]/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
}

describe("the registry's login", () => {
  const properties = readProperties(registrySecurityFile(config));

  it('is Quarkus HTTP Basic against one embedded user, the writer, whose password comes from the environment', () => {
    expect(properties.get('quarkus.http.auth.basic')).toBe('true');
    expect(properties.get('quarkus.security.users.embedded.plain-text')).toBe('true');
    const users = [...properties.keys()].filter((k) => k.startsWith('quarkus.security.users.embedded.users.'));
    expect(users).toEqual([`quarkus.security.users.embedded.users.${REGISTRY_WRITER_USER}`]);
    expect(properties.get(users[0] ?? '')).toBe('${POLLUSCOPE_REGISTRY_PASSWORD}');
    // Roles would only matter with apicurio.auth.role-based-authorization, which stays off: one account.
    expect([...properties.keys()].filter((k) => k.includes('.roles.') || k.startsWith('apicurio.auth.role'))).toEqual([]);
  });

  it('leaves reads open, asks a login for POST and PUT, refuses DELETE and every other method', () => {
    expect(properties.get('apicurio.auth.anonymous-read-access.enabled')).toBe('true');
    expect(properties.get('apicurio.config.dynamic.allow-all')).toBe('false');
    const sets = new Map<string, { paths?: string; methods?: string; policy?: string }>();
    for (const [key, value] of properties) {
      const m = /^quarkus\.http\.auth\.permission\.([\w-]+)\.(paths|methods|policy)$/.exec(key);
      if (m === null) continue;
      sets.set(m[1] ?? '', { ...sets.get(m[1] ?? ''), [m[2] ?? '']: value });
    }
    const byMethod = (method: string) => [...sets.values()].filter((s) => s.methods?.split(',').includes(method)).map((s) => [s.paths, s.policy]);
    expect(byMethod('DELETE')).toEqual([['/*', 'deny']]);
    expect(byMethod('POST')).toEqual([['/*', 'authenticated']]);
    expect(byMethod('PUT')).toEqual([['/*', 'authenticated']]);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(byMethod(method), method).toEqual([['/*', 'permit']]);
    // Every set names its methods: a set without would apply to the methods no other set lists.
    for (const [name, set] of sets) expect(set.methods, name).toBeDefined();
  });

  it('reaches the embedded registry through its environment, never its arguments', () => {
    const env = registrySecurityEnv(config, registryLogin);
    expect(env).toEqual({ QUARKUS_CONFIG_LOCATIONS: registrySecurityFile(config), POLLUSCOPE_REGISTRY_PASSWORD: registryLogin.password });
    const source = readFileSync(new URL('./jvm-components.ts', import.meta.url), 'utf8');
    const registryArgs = /name: 'registry',\s*command: registryJava\(\),\s*args: \[([^\]]*)\]/.exec(source)?.[1];
    expect(registryArgs).toBeDefined();
    expect(registryArgs).not.toMatch(/password|login|quarkus\.security/i);
    expect(source).toContain('...registrySecurityEnv(config, registryLogin),');
  });
});
