import { describe, expect, it } from 'vitest';
import { at, exposureRow, fixRow, sensorRow, stopRow, timelineRow } from '../day/test-rows.js';
import type { ParticipantDayRow } from '../day/summarise-participants.js';
import { buildConsoleApp } from './app.js';
import type { ConsoleWarehouse, ParticipantDayRows } from './warehouse-reader.js';

const OVERVIEW: ParticipantDayRow[] = [
  { participant: 'sim-001', day: '2026-01-12', measured_minutes: 720, imputed_minutes: 4, flagged_minutes: 2, segments: 144, needs_review_segments: 3, gps_fixes: 900, day_length_minutes: 1440 },
];

const DAY_ROWS: ParticipantDayRows = {
  dayStart: at(0),
  dayEnd: at(1440),
  minutes: [sensorRow(0), sensorRow(1, { quality_flags: 'pm25:spike', pm25: null })],
  timeline: [timelineRow(0)],
  fixes: [fixRow(0, 48.8, 2.3, { start: 0, type: 'stop' })],
  dropped: [{ reason: 'too-fast', fixes: 2 }],
  stops: [stopRow(0, 30, 48.8, 2.3)],
  exposure: [exposureRow('Domicile', 2, 1)],
  days: ['2026-01-12', '2026-01-13'],
};

/** A warehouse of fixed rows that records what it was asked. */
function fixedWarehouse(day: ParticipantDayRows | null) {
  const asked: string[][] = [];
  const warehouse: ConsoleWarehouse = {
    participantDays: async () => OVERVIEW,
    participantDay: async (participant, date) => {
      asked.push([participant, date]);
      return day ?? { dayStart: at(0), dayEnd: at(1440), minutes: [], timeline: [], fixes: [], stops: [], exposure: [], days: [] };
    },
    close: async () => undefined,
  };
  return { warehouse, asked };
}

const app = (day: ParticipantDayRows | null = DAY_ROWS) => {
  const { warehouse, asked } = fixedWarehouse(day);
  return { app: buildConsoleApp({ warehouse, timeZone: 'Europe/Paris', tileUrl: null, pagesDir: null, logLevel: 'silent' }), asked };
};

describe('the console API', () => {
  it('lists participants with their days and coverage', async () => {
    const response = await app().app.inject({ method: 'GET', url: '/api/participants' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      participants: [
        {
          participant: 'sim-001',
          days: [{ day: '2026-01-12', measuredMinutes: 720, dayLengthMinutes: 1440, coverage: 0.5, imputedMinutes: 4, flaggedMinutes: 2, segments: 144, needsReviewSegments: 3, gpsFixes: 900 }],
        },
      ],
    });
  });

  it('returns a participant-day: minutes, segments, fixes, stops, exposure, quality and the grid', async () => {
    const { app: console, asked } = app();
    const response = await console.inject({ method: 'GET', url: '/api/participants/sim-001/days/2026-01-12' });
    expect(response.statusCode).toBe(200);
    const day = response.json();
    expect(asked).toEqual([['sim-001', '2026-01-12']]);
    expect([day.minutes.length, day.segments.length, day.fixes.length, day.stops.length, day.exposure.rows.length]).toEqual([2, 1, 1, 1, 1]);
    expect(day.quality.variables.find((v: { variable: string }) => v.variable === 'pm25')).toEqual({ variable: 'pm25', withValue: 1, imputed: 0, flagged: { spike: 1 } });
    expect(day.quality.gps).toEqual({ keptFixes: 1, outsideGrid: 0, rawFixes: 3, droppedByReason: { 'too-fast': 2 } });
    expect(day.grid.cells).toBe(3600);
    expect(day.participantDays).toEqual(['2026-01-12', '2026-01-13']);
  });

  it('answers 404 for a participant-day without data', async () => {
    const response = await app(null).app.inject({ method: 'GET', url: '/api/participants/nobody/days/2026-01-12' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('no data for nobody on 2026-01-12');
  });

  it('answers 400 naming the parameter for a day that is not a calendar date', async () => {
    for (const day of ['2026-13-45', 'yesterday', '2026-1-2']) {
      const { app: console, asked } = app();
      const response = await console.inject({ method: 'GET', url: `/api/participants/sim-001/days/${day}` });
      expect(response.statusCode, day).toBe(400);
      expect(response.json().message).toContain('day');
      expect(asked).toEqual([]);
    }
  });

  it('answers 400 naming the parameter for a participant id too long', async () => {
    const response = await app().app.inject({ method: 'GET', url: `/api/participants/${'p'.repeat(201)}/days/2026-01-12` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('participant');
  });

  it('gives the pages their settings: time zone, and no tile server by default', async () => {
    const response = await app().app.inject({ method: 'GET', url: '/api/settings' });
    expect(response.json()).toEqual({ timeZone: 'Europe/Paris', tileUrl: null });
  });
});
