/**
 * The simulator's default output must not move: the shipped models, the demo and the integration
 * tests were built on it. These hashes were taken before the optional settings (settings.ts)
 * existed; a run without settings must still give these bytes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { simulationCsvTexts } from './csv.js';
import { defaultSimulationParams, type SimulationParams } from './params.js';
import { simulate } from './simulate.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function hashes(params: SimulationParams): Record<string, string> {
  const texts = simulationCsvTexts(simulate(params));
  return Object.fromEntries(Object.entries(texts).map(([file, text]) => [file, sha256(text)]));
}

describe('simulate: default output unchanged', () => {
  it('January weekdays, seed 42 (3 participants × 2 days, GPS every 10 s)', () => {
    expect(hashes({ ...defaultSimulationParams, participants: 3, days: 2, seed: 42, gpsRateHz: 0.1 })).toEqual({
      gps: 'a369a093785ef7f485540cd36c8a02dfd43b47534f0db1d7151548581e9daaee',
      sensor: '3917eaa78f30dbc600189a4bfaf8429bc49f6f39bf2a862f3efeab5bdd4ea122',
      truthEvents: 'bc7d8429b19722ebb0021bd01d2b6eebe2215c59ed4fb371d7459ed00e28f82c',
      truthFaults: '40da500666d0261cedcff0843a81815faa3302288854d06757190925f009b576',
      truthMinutes: '361bd847e25f5cde0918e084d22692750c1ece1f1b75c77bfb56b7e6789d2103',
      truthStops: '9f89b9f3fdd308448444bc0e2adb8cff268918f3b1b8120579db97c6fa53e5ea',
    });
  });

  it('a July Friday to Sunday, seed 8 (2 participants × 3 days, GPS every 20 s)', () => {
    expect(hashes({ ...defaultSimulationParams, participants: 2, days: 3, seed: 8, startDate: '2026-07-03', gpsRateHz: 0.05 })).toEqual({
      gps: '1250a058844527c66df854c797b491164afa18846a5807a7fb4b11e66c97c026',
      sensor: '0beda4f244b99a3a2e24cf06966714a51307e51b1d7acaeb41040e5ad32f6bf5',
      truthEvents: '74a43fa07ef512b3a75ec10353b229e8f88d0a8afd284f69d340359acaec3698',
      truthFaults: '23fdfb6007bad4eabbdff659af60ecba8a6213b1130fc547890114ed4fcc1670',
      truthMinutes: '94338cf7a47d4e21985f5199c0e06fc39b2377756d000fc5fb789e1c81f16137',
      truthStops: 'fe82f3886a00819e628c8648984b6105719d37ad601bf2de131476c9bc59f713',
    });
  });
});
