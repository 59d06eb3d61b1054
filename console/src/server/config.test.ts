import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from './config.js';

describe('loadConsoleConfig', () => {
  it('defaults: loopback, port 8010, the local researcher login, Europe/Paris, no tiles', () => {
    expect(loadConsoleConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8010,
      warehouseUrl: 'postgresql://researcher_login:researcher@127.0.0.1:5436/warehouse',
      timeZone: 'Europe/Paris',
      tileUrl: null,
      logLevel: 'info',
    });
  });

  it('reads the settings from the environment; empty values take the defaults', () => {
    const config = loadConsoleConfig({ PORT: '8111', HOST: '', WAREHOUSE_URL: 'postgres://alice:x@db:5432/warehouse', TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' });
    expect(config).toMatchObject({ port: 8111, host: '127.0.0.1', warehouseUrl: 'postgres://alice:x@db:5432/warehouse', tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' });
  });

  it('fails with the name of the bad setting', () => {
    expect(() => loadConsoleConfig({ PORT: 'eighty' })).toThrow(/^PORT: /);
    expect(() => loadConsoleConfig({ WAREHOUSE_URL: 'mysql://x' })).toThrow(/^WAREHOUSE_URL: /);
    expect(() => loadConsoleConfig({ TILE_URL: 'https://tiles.example.org/no-placeholders.png' })).toThrow(/^TILE_URL: /);
    expect(() => loadConsoleConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/^TIME_ZONE: not an IANA time zone/);
  });
});
