/**
 * Schema evolution (docs/design.md §3.2, §4): after `infra up`, every topic's subject on the real
 * registry is under BACKWARD compatibility (raw topics included, set before the change-data-capture
 * source registers them), and a change that would break the topic's consumers is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegistryLogin } from '../../cli/src/infra/stack-secrets.js';
import { endpoints, stackConfig } from './stack.js';

const SCHEMAS_DIR = join(stackConfig.repoRoot, 'schemas');
const CONTENT_TYPE = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
// Every POST to the registry needs its writer's login, compatibility checks included (docs/security.md).
const writer = readRegistryLogin(stackConfig);
const WRITER_LOGIN = { Authorization: `Basic ${Buffer.from(`${writer.username}:${writer.password}`).toString('base64')}` };
const subjects = readdirSync(SCHEMAS_DIR)
  .filter((f) => f.endsWith('.avsc'))
  .map((f) => ({ file: f, subject: `${f.slice(0, -'.avsc'.length)}-value` }));

describe('schema registry', () => {
  it('holds every subject of schemas/ under BACKWARD compatibility', async () => {
    expect(subjects.length).toBe(10);
    for (const { subject } of subjects) {
      const response = await fetch(`${endpoints.registryUrl}/config/${subject}`);
      expect(response.status, subject).toBe(200);
      expect(((await response.json()) as { compatibilityLevel: string }).compatibilityLevel, subject).toBe('BACKWARD');
    }
  });

  it('refuses a sensor.clean schema whose new field has no default (consumers could not read the old records)', async () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'sensor.clean.avsc'), 'utf8')) as { fields: unknown[] };
    schema.fields.push({ name: 'pm4', type: 'double' });
    const response = await fetch(`${endpoints.registryUrl}/compatibility/subjects/sensor.clean-value/versions/latest`, {
      method: 'POST',
      headers: { ...CONTENT_TYPE, ...WRITER_LOGIN },
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { is_compatible: boolean }).is_compatible).toBe(false);
  });

  it('accepts one whose new field is optional', async () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'sensor.clean.avsc'), 'utf8')) as { fields: unknown[] };
    schema.fields.push({ name: 'pm4', type: ['null', 'double'], default: null });
    const response = await fetch(`${endpoints.registryUrl}/compatibility/subjects/sensor.clean-value/versions/latest`, {
      method: 'POST',
      headers: { ...CONTENT_TYPE, ...WRITER_LOGIN },
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    expect(((await response.json()) as { is_compatible: boolean }).is_compatible).toBe(true);
  });
});
