import { describe, expect, it } from 'vitest';
import { dayAxis } from './day-axis.js';
import { day } from './test-day.js';

describe('dayAxis', () => {
  it('spans the local day with ticks every 3 hours labelled in local time', () => {
    const axis = dayAxis(day);
    expect(axis.domain.map((d) => d.toISOString())).toEqual(['2026-01-11T23:00:00.000Z', '2026-01-12T23:00:00.000Z']);
    expect(axis.ticks.map((t) => axis.tickFormat(t))).toEqual(['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '00:00']);
  });

  it('ticks every quarter of an hour over a short window (a review segment and its context)', () => {
    const start = Date.parse('2026-01-12T07:25:00Z'); // 08:25 in Paris
    const axis = dayAxis({ ...day, dayStartMs: start, dayEndMs: start + 70 * 60_000 });
    expect(axis.ticks.map((t) => axis.tickFormat(t))).toEqual(['08:30', '08:45', '09:00', '09:15', '09:30']);
  });
});
