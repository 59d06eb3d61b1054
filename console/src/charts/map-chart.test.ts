import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { at, fixRow, stopRow } from '../day/test-rows.js';
import { trajectoryMap } from './map-chart.js';

const day = buildParticipantDay({
  participant: 'sim-001',
  day: '2026-01-12',
  timeZone: 'Europe/Paris',
  dayStart: at(-60),
  dayEnd: at(1380),
  minutes: [],
  timeline: [],
  fixes: [fixRow(0, 48.85, 2.3, { start: 0, type: 'stop' }), fixRow(10, 48.86, 2.33, { start: 10, type: 'move', mode: 'Bus' })],
  stops: [stopRow(0, 9, 48.85, 2.3)],
  exposure: [],
});

const render = (tileUrl: string | null) => {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  return trajectoryMap(day, { document: document as unknown as Document, width: 800, tileUrl }).outerHTML;
};

describe('trajectoryMap', () => {
  it('draws the fixes, the stops and the study grid, and fetches nothing without a tile server', () => {
    const svg = render(null);
    expect(svg).not.toContain('<image');
    expect(svg.match(/aria-description="grid"/g)).toHaveLength(2);
    expect(/<g[^>]*aria-description="fixes"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('9 min');
  });

  it('lays tiles of the template under the trajectory when a tile server is set', () => {
    const svg = render('https://tiles.example.org/{z}/{x}/{y}.png');
    const sources = [...svg.matchAll(/href="(https:\/\/tiles\.example\.org\/[^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src).toMatch(/^https:\/\/tiles\.example\.org\/1[4-8]\/\d+\/\d+\.png$/);
  });
});
