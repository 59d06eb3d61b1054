import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './config.js';
import { LOG_REDACT_PATHS } from './service-main.js';

describe("the service's logger", () => {
  it('never writes the Kafka or the registry password of a logged config', () => {
    const kafkaPassword = randomBytes(12).toString('hex');
    const registryPassword = randomBytes(12).toString('hex');
    const config = loadServiceConfig('gps-preprocessing', 8002, '/schemas', {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'gps-preprocessing',
      KAFKA_SASL_PASSWORD: kafkaPassword,
      SCHEMA_REGISTRY_USERNAME: 'schema-writer',
      SCHEMA_REGISTRY_PASSWORD: registryPassword,
    });
    let written = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void ((written += chunk.toString()), done()) });
    pino({ redact: [...LOG_REDACT_PATHS] }, sink).info({ config }, 'settings');
    expect(written).toContain('schema-writer');
    expect(written).not.toContain(kafkaPassword);
    expect(written).not.toContain(registryPassword);
  });
});
