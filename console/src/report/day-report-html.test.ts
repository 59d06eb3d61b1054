import { describe, expect, it } from 'vitest';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { at, exposureRow, fixRow, sensorRow, stopRow, timelineRow } from '../day/test-rows.js';
import { dayReportHtml } from './day-report-html.js';

/** Elements drawn by the mark described `description` (Plot puts them in its group). */
function markChildren(html: string, description: string, tag: string): number {
  const group = new RegExp(`<g[^>]*aria-description="${description}"[^>]*>([\\s\\S]*?)</g>`).exec(html);
  return group === null ? 0 : (group[1]!.match(new RegExp(`<${tag}[ >/]`, 'g')) ?? []).length;
}

const day = buildParticipantDay({
  participant: 'sim-001',
  day: '2026-01-12',
  timeZone: 'Europe/Paris',
  dayStart: at(-60),
  dayEnd: at(1380),
  minutes: [sensorRow(0), sensorRow(1, { quality_flags: 'pm25:spike', pm25: null }), sensorRow(2, { imputed_bc: true }), sensorRow(3)],
  timeline: [timelineRow(0), timelineRow(5, { final: 'Walk', predicted: 'Bus', declared: null }, { needs_review: true })],
  fixes: [fixRow(0, 48.85, 2.3, { start: 0, type: 'stop' }), fixRow(1, 48.8501, 2.3001, { start: 0, type: 'stop' }), fixRow(6, 48.86, 2.32, { start: 5, type: 'move', mode: 'Walk' })],
  stops: [stopRow(0, 5, 48.85, 2.3)],
  exposure: [exposureRow('Domicile', 3, 0.7), exposureRow('Walk', 1, 0.3), exposureRow('Parc', 0, 0)],
});

describe('dayReportHtml', () => {
  const html = dayReportHtml(day, { generatedAt: new Date('2026-01-13T08:00:00Z') });

  it('is one HTML document with its stylesheet inline and no script, link or remote reference', () => {
    expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|src="http/);
    expect(html).not.toContain('<a ');
    expect(html).toContain('<title>Polluscope · sim-001 · 2026-01-12</title>');
    expect(html).toContain('generated 2026-01-13T08:00:00.000Z');
  });

  it('draws every series, band, fix, stop and share as the page does', () => {
    for (const pollutant of ['pm1', 'pm25', 'pm10', 'no2', 'bc']) expect(markChildren(html, `${pollutant} line`, 'path'), pollutant).toBe(1);
    expect(markChildren(html, 'pm25 removed', 'line')).toBe(1);
    expect(markChildren(html, 'bc imputed', 'circle')).toBe(1);
    expect(markChildren(html, 'declared band', 'rect')).toBe(1);
    expect(markChildren(html, 'predicted band', 'rect')).toBe(2);
    expect(markChildren(html, 'final band', 'rect')).toBe(2);
    expect(markChildren(html, 'fixes', 'circle')).toBe(3);
    expect(markChildren(html, 'stops', 'circle')).toBe(1);
    expect(markChildren(html, 'time share', 'rect')).toBe(2);
    expect(markChildren(html, 'bc share', 'rect')).toBe(2);
    expect(html).toContain('5 min');
  });

  it('shows the coverage beside the shares and the data-quality counts', () => {
    expect(html).toContain('Coverage: measured 30 of 1440 min (2 %), labelled 25 min (2 %)');
    expect(html).toMatch(/data-variable="pm25"><th scope="row">PM2.5 \(µg\/m³\)<\/th><td class="number">3<\/td><td class="number">0<\/td><td class="number">1<\/td><td>spike 1<\/td>/);
  });
});
