import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from './stack-config.js';
import {
  basicAuthorization,
  ensureJobRolePasswords,
  ensureRegistryLogin,
  ensureSecret,
  JOB_ROLES,
  jobRoleUrl,
  readRegistryLogin,
  readSecret,
  REGISTRY_WRITER_USER,
  registryLoginEnv,
  schemaRegistryClientEnv,
  secretsDir,
} from './stack-secrets.js';

const homes: string[] = [];
function freshConfig() {
  const home = mkdtempSync(join(tmpdir(), 'polluscope-secrets-'));
  homes.push(home);
  return loadStackConfig({ POLLUSCOPE_HOME: home });
}
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('the stack secrets', () => {
  it('draws a password once, keeps it in a 0600 file of a 0700 folder, and reads the same value back', () => {
    const config = freshConfig();
    const first = ensureSecret(config, 'postgres-rawdata-superuser');
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(ensureSecret(config, 'postgres-rawdata-superuser')).toBe(first);
    expect(readSecret(config, 'postgres-rawdata-superuser')).toBe(first);
    expect(statSync(secretsDir(config)).mode & 0o777).toBe(0o700);
    expect(statSync(join(secretsDir(config), 'postgres-rawdata-superuser')).mode & 0o777).toBe(0o600);
  });

  it('gives every job role a password of its own', () => {
    const passwords = Object.values(ensureJobRolePasswords(freshConfig()));
    expect(passwords).toHaveLength(Object.keys(JOB_ROLES).length);
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('refuses a missing secret with the command that makes it, and one readable by others', () => {
    const config = freshConfig();
    expect(() => readSecret(config, 'connect-rest-admin')).toThrow(/connect-rest-admin is missing: run `npx polluscope infra up`/);
    ensureSecret(config, 'connect-rest-admin');
    chmodSync(join(secretsDir(config), 'connect-rest-admin'), 0o644);
    expect(() => readSecret(config, 'connect-rest-admin')).toThrow(/readable by other users \(mode 644\): chmod 600/);
  });

  it('refuses a name that could leave the folder', () => {
    expect(() => ensureSecret(freshConfig(), '../x')).toThrow(/lower-case letters, digits and '-' only/);
  });

  it("builds a job role's connection string from its password file", () => {
    const config = freshConfig();
    ensureJobRolePasswords(config);
    const awkward = ['p', 'w', '1'].join('/@'); // characters a URL must escape
    writeFileSync(join(secretsDir(config), 'pg-polluscope-api'), `${awkward}\n`, { mode: 0o600 });
    expect(new URL(jobRoleUrl(config, 'api')).username).toBe('polluscope_api');
    expect(decodeURIComponent(new URL(jobRoleUrl(config, 'api')).password)).toBe(awkward);
    expect(jobRoleUrl(config, 'api')).toContain(`@127.0.0.1:${config.ports.warehouse}/warehouse`);
  });

  it('writes HTTP Basic credentials as RFC 7617 says', () => {
    const rfcExample = ['open', 'sesame'].join(' '); // the RFC's own example login
    expect(basicAuthorization({ user: 'Aladdin', password: rfcExample })).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it("keeps the registry writer's password in its own file; the scripts and the services read it under their names", () => {
    const config = freshConfig();
    expect(() => readRegistryLogin(config)).toThrow(/registry-schema-writer is missing: run `npx polluscope infra up` first/);
    const login = ensureRegistryLogin(config);
    expect(login.username).toBe(REGISTRY_WRITER_USER);
    expect(login.password).toMatch(/^[0-9a-f]{48}$/);
    expect(statSync(join(secretsDir(config), 'registry-schema-writer')).mode & 0o777).toBe(0o600);
    expect(readRegistryLogin(config)).toEqual(login);
    expect(Object.values(ensureJobRolePasswords(config))).not.toContain(login.password);
    expect(registryLoginEnv(login)).toEqual({ POLLUSCOPE_REGISTRY_USER: REGISTRY_WRITER_USER, POLLUSCOPE_REGISTRY_PASSWORD: login.password });
    expect(schemaRegistryClientEnv(login)).toEqual({ SCHEMA_REGISTRY_USERNAME: REGISTRY_WRITER_USER, SCHEMA_REGISTRY_PASSWORD: login.password });
  });
});

describe('the folders the secrets create', () => {
  it('leave the stack home passable: only the secrets folder is closed', () => {
    const config = freshConfig();
    rmSync(config.home, { recursive: true, force: true });
    ensureSecret(config, 'connect-rest-admin');
    expect(statSync(config.home).mode & 0o755).toBe(0o755);
    expect(statSync(secretsDir(config)).mode & 0o777).toBe(0o700);
  });
});
