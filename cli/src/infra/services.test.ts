import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localConsole } from './console-process.js';
import { localServices } from './services.js';
import { loadStackConfig } from './stack-config.js';
import { ensureJobRolePasswords, ensureRegistryLogin } from './stack-secrets.js';

const home = mkdtempSync(join(tmpdir(), 'polluscope-services-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the local services and console', () => {
  it("get the registry writer's login from the stack's secrets, for the schemas they register", () => {
    const config = loadStackConfig({ POLLUSCOPE_HOME: home });
    ensureJobRolePasswords(config);
    const login = ensureRegistryLogin(config);
    for (const { name, spec } of [...localServices(config, {}), { name: 'console', spec: localConsole(config).spec }]) {
      expect(spec.env?.SCHEMA_REGISTRY_USERNAME, name).toBe(login.username);
      expect(spec.env?.SCHEMA_REGISTRY_PASSWORD, name).toBe(login.password);
      // In the environment, not the arguments: ps does not show it.
      expect(spec.args.join(' '), name).not.toContain(login.password);
    }
  });
});
