import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { at, fixRow, sensorRow } from '../day/test-rows.js';
import { qualityPanel } from './quality-panel.js';

const { document } = parseHTML('<!doctype html><html><body></body></html>') as unknown as { document: Document };

/** A day with three kept fixes (one outside the grid) and the dropped ones given, by reason. */
const dayWith = (dropped?: { reason: string; fixes: number }[]) =>
  buildParticipantDay({
    participant: 'sim-001',
    day: '2026-01-12',
    timeZone: 'Europe/Paris',
    dayStart: at(-60),
    dayEnd: at(1380),
    minutes: [sensorRow(0)],
    timeline: [],
    fixes: [fixRow(0, 48.85, 2.3, null), fixRow(1, 48.8501, 2.3, null), fixRow(2, 48.8502, 2.3, null, null)],
    ...(dropped ? { dropped } : {}),
    stops: [],
    exposure: [],
  });

/** The GPS table's rows as [key, label, count, share]. */
function gpsRows(panel: HTMLElement): string[][] {
  return [...panel.querySelectorAll('table[aria-label="gps quality"] tr')].map((tr) => [
    tr.getAttribute('data-gps') ?? '',
    ...[...tr.children].map((c) => c.textContent ?? ''),
  ]);
}

describe('qualityPanel, GPS', () => {
  it('shows the fixes received, kept and dropped by reason, with their shares of those received', () => {
    const panel = qualityPanel(dayWith([{ reason: 'too-fast', fixes: 1 }]), document);
    expect(gpsRows(panel)).toEqual([
      ['received', 'GPS fixes received', '4', ''],
      ['kept', 'kept', '3', '75.0 %'],
      ['outside-grid', 'kept, outside the study grid', '1', '25.0 %'],
      ['dropped:too-fast', 'dropped: too-fast', '1', '25.0 %'],
      ['dropped:duplicate', 'dropped: duplicate', '0', '0.0 %'],
      ['dropped:same-time', 'dropped: same-time', '0', '0.0 %'],
    ]);
  });

  it('shows a reason it does not know after the others, and every reason at 0 on a day without drops', () => {
    const odd = gpsRows(qualityPanel(dayWith([{ reason: 'late', fixes: 2 }, { reason: 'duplicate', fixes: 2 }]), document));
    expect(odd.map((r) => [r[0], r[2]])).toEqual([
      ['received', '7'],
      ['kept', '3'],
      ['outside-grid', '1'],
      ['dropped:too-fast', '0'],
      ['dropped:duplicate', '2'],
      ['dropped:same-time', '0'],
      ['dropped:late', '2'],
    ]);
    const none = gpsRows(qualityPanel(dayWith([]), document));
    expect(none.filter((r) => r[0]!.startsWith('dropped:')).map((r) => r[2])).toEqual(['0', '0', '0']);
    expect(none[0]).toEqual(['received', 'GPS fixes received', '3', '']);
  });

  it('says the dropped fixes were not read when the warehouse gave none', () => {
    const rows = gpsRows(qualityPanel(dayWith(), document));
    expect(rows[0]).toEqual(['received', 'GPS fixes received', '–', '']);
    expect(rows.at(-1)).toEqual(['dropped', 'dropped', '–', 'not read']);
    expect(rows.find((r) => r[0] === 'kept')).toEqual(['kept', 'kept', '3', '']);
  });
});
