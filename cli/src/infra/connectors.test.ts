import { describe, expect, it } from 'vitest';
import { sameConnectorConfig } from './connectors.js';

describe('sameConnectorConfig', () => {
  const wanted = { 'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector', 'tasks.max': '2' };

  it('is the same when Connect stored the file with the name it adds', () => {
    expect(sameConnectorConfig({ ...wanted, name: 'warehouse-sink-points' }, wanted)).toBe(true);
  });

  it('differs on a changed value, a missing key or an extra key', () => {
    expect(sameConnectorConfig({ ...wanted, 'tasks.max': '1' }, wanted)).toBe(false);
    expect(sameConnectorConfig({ 'connector.class': wanted['connector.class'] }, wanted)).toBe(false);
    expect(sameConnectorConfig({ ...wanted, 'batch.size': '500' }, wanted)).toBe(false);
  });
});
