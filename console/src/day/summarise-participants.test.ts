import { describe, expect, it } from 'vitest';
import { summariseParticipants, type ParticipantDayRow } from './summarise-participants.js';

const row = (participant: string, day: string, fields: Partial<ParticipantDayRow> = {}): ParticipantDayRow => ({
  participant,
  day,
  measured_minutes: 720,
  imputed_minutes: 3,
  flagged_minutes: 2,
  segments: 144,
  needs_review_segments: 1,
  gps_fixes: 500,
  day_length_minutes: 1440,
  ...fields,
});

describe('summariseParticipants', () => {
  it('is empty without rows', () => {
    expect(summariseParticipants([])).toEqual([]);
  });

  it('groups days by participant, both in order, with coverage = measured minutes of the day', () => {
    const summary = summariseParticipants([row('sim-002', '2026-01-12'), row('sim-001', '2026-01-13', { measured_minutes: 360 }), row('sim-001', '2026-01-12')]);
    expect(summary.map((p) => [p.participant, p.days.map((d) => d.day)])).toEqual([
      ['sim-001', ['2026-01-12', '2026-01-13']],
      ['sim-002', ['2026-01-12']],
    ]);
    expect(summary[0]!.days[1]).toEqual({
      day: '2026-01-13',
      measuredMinutes: 360,
      dayLengthMinutes: 1440,
      coverage: 0.25,
      imputedMinutes: 3,
      flaggedMinutes: 2,
      segments: 144,
      needsReviewSegments: 1,
      gpsFixes: 500,
    });
  });

  it('counts a day seen only in GPS as 0 measured minutes, and a daylight-saving day by its own length', () => {
    const [participant] = summariseParticipants([
      row('sim-003', '2026-03-29', { measured_minutes: null, imputed_minutes: null, flagged_minutes: null, segments: null, needs_review_segments: null, day_length_minutes: 1380 }),
    ]);
    expect(participant!.days[0]).toMatchObject({ measuredMinutes: 0, coverage: 0, imputedMinutes: 0, segments: 0, gpsFixes: 500, dayLengthMinutes: 1380 });
  });
});
