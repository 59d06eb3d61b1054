import { describe, expect, it } from 'vitest';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import { defaultTimelineFusionParams, fuseTimeline } from '../fusion/fuse-timeline.js';
import { INTEGRATED_POLLUTANTS, type ActivityTimelineRecord, type ExposureDailyRecord } from '../records.js';
import { P, seg } from '../test-fixtures.js';
import { computeDailyExposure, EXPOSURE_MICRO_ENVIRONMENTS } from './daily-exposure.js';

/** Timeline entries from sensor labels only (no GPS, no smoothing). */
function entries(...segments: Parameters<typeof fuseTimeline>[0]): ActivityTimelineRecord[] {
  return fuseTimeline(segments, [], [], { ...defaultTimelineFusionParams, smoothGlitches: false });
}

const DAY = 19787; // 2024-03-05 in Paris
const row = (rows: readonly ExposureDailyRecord[], environment: string) => rows.find((r) => r.micro_environment === environment);

describe('computeDailyExposure', () => {
  // Domicile 5 + 3 measured minutes, Bus 5, and 2 measured minutes without a label.
  const day = entries(
    seg(0, 'Domicile', { bc_mean: 1000, pm25_mean: 10, temperature_mean: 20 }),
    seg(1, 'Domicile', { minutes: 3, bc_mean: 2000, pm25_mean: null, temperature_mean: 22 }),
    seg(2, 'Bus', { bc_mean: 3000, pm25_mean: 20 }),
    seg(3, 'Inconnu', { minutes: 2, bc_mean: 4000, pm25_mean: 30 }),
  );
  const rows = computeDailyExposure(day);

  it('weights each segment by its measured minutes: time-weighted means and time-integrated concentrations', () => {
    expect(row(rows, 'Domicile')).toMatchObject({
      participant_virtual_id: P,
      day: DAY,
      minutes: 8,
      bc_mean: 11000 / 8,
      bc_time_integrated_concentration: 1000 * 5 + 2000 * 3,
      pm25_mean: 10,
      pm25_time_integrated_concentration: 50,
      temperature_mean: (20 * 5 + 22 * 3) / 8,
    });
    expect(row(rows, 'Bus')).toMatchObject({ minutes: 5, bc_mean: 3000, bc_time_integrated_concentration: 15000, pm25_time_integrated_concentration: 100 });
  });

  it('puts measured but unlabelled minutes in `unknown`, counted in the day total', () => {
    expect(row(rows, 'unknown')).toMatchObject({ minutes: 2, bc_time_integrated_concentration: 8000, bc_share: 8000 / 34000, pm25_share: 60 / 210 });
    expect([row(rows, 'Domicile')?.bc_share, row(rows, 'Bus')?.bc_share]).toEqual([11000 / 34000, 15000 / 34000]);
    expect([row(rows, 'Domicile')?.pm25_share, row(rows, 'Bus')?.pm25_share]).toEqual([50 / 210, 100 / 210]);
  });

  it('carries the day’s coverage on every row: measured, labelled, and the day’s length', () => {
    expect(new Set(rows.map((r) => JSON.stringify([r.day_measured_minutes, r.day_labelled_minutes, r.day_length_minutes])))).toEqual(new Set([JSON.stringify([15, 13, 1440])]));
  });

  it('gives every canonical micro-environment and `unknown` a row; one not visited has 0 minutes, 0 and 0 share', () => {
    expect(rows.map((r) => r.micro_environment).sort()).toEqual([...CANONICAL_LABELS, 'unknown'].sort());
    expect(EXPOSURE_MICRO_ENVIRONMENTS).toHaveLength(CANONICAL_LABELS.length + 1);
    expect(row(rows, 'Walk')).toMatchObject({ minutes: 0, bc_mean: null, bc_time_integrated_concentration: 0, bc_share: 0, temperature_mean: null });
  });

  it('leaves unknown what was not measured: null integral where visited without a value, null shares without any value in the day', () => {
    expect(row(rows, 'Bus')).toMatchObject({ temperature_mean: null, no2_mean: null, no2_time_integrated_concentration: null, no2_share: null });
    expect(row(rows, 'Walk')).toMatchObject({ no2_time_integrated_concentration: 0, no2_share: null });
  });

  it('has no integral or share for temperature and humidity', () => {
    expect(Object.keys(rows[0]!).filter((k) => /^(temperature|humidity)_/.test(k)).sort()).toEqual(['humidity_mean', 'temperature_mean']);
  });

  it('has shares summing to 1 for each pollutant measured that day', () => {
    const mixed = computeDailyExposure(
      entries(
        seg(0, 'Domicile', { pm1_mean: 3, pm10_mean: 7, no2_mean: 11, bc_mean: 700 }),
        seg(1, 'Voiture', { minutes: 4, pm1_mean: 5, pm10_mean: 13, no2_mean: 31, bc_mean: 4100 }),
        seg(2, null, { pm1_mean: 17, pm10_mean: 2, no2_mean: 19, bc_mean: 1300 }),
        seg(3, 'Voiture', { minutes: 1, pm1_mean: 1, pm10_mean: null, no2_mean: 23, bc_mean: 2900 }),
      ),
    );
    for (const p of ['pm1', 'pm10', 'no2', 'bc'] as const) expect(mixed.reduce((sum, r) => sum + (r[`${p}_share`] ?? 0), 0)).toBeCloseTo(1, 12);
    // Road traffic's share of BC: (4100 × 4 + 2900 × 1) / (700 × 5 + 4100 × 4 + 1300 × 5 + 2900 × 1).
    expect(row(mixed, 'Voiture')?.bc_share).toBeCloseTo(19300 / 29300, 12);
    expect(mixed.every((r) => r.pm25_share === null)).toBe(true);
    expect(INTEGRATED_POLLUTANTS).toEqual(['pm1', 'pm25', 'pm10', 'no2', 'bc']);
  });

  it('splits days at local midnight, and knows 23- and 25-hour days', () => {
    // 22:55 and 23:00 UTC on 4 March are 23:55 on the 4th and 00:00 on the 5th in Paris.
    const at = (startMs: number) => seg(0, 'Domicile', { segment_start: startMs, segment_end: startMs + 300_000, pm25_mean: 8 });
    const night = entries(at(Date.UTC(2024, 2, 4, 22, 55)), at(Date.UTC(2024, 2, 4, 23, 0)));
    const spent = (rs: ExposureDailyRecord[]) => rs.filter((r) => r.minutes > 0).map((r) => [r.day, r.minutes, r.pm25_share, r.day_length_minutes]);
    expect(spent(computeDailyExposure(night))).toEqual([
      [19786, 5, 1, 1440],
      [19787, 5, 1, 1440],
    ]);
    expect(spent(computeDailyExposure(night, { timeZone: 'UTC' }))).toEqual([[19786, 10, 1, 1440]]);
    const spring = entries(at(Date.UTC(2024, 2, 31, 10, 0)));
    const autumn = entries(at(Date.UTC(2024, 9, 27, 10, 0)));
    expect([...spent(computeDailyExposure(spring)), ...spent(computeDailyExposure(autumn))]).toEqual([
      [19813, 5, 1, 1380],
      [20023, 5, 1, 1500],
    ]);
  });

  it('is empty without entries; a day of unlabelled minutes is all `unknown`', () => {
    expect(computeDailyExposure([])).toEqual([]);
    const unlabelled = computeDailyExposure(entries(seg(0, null, { bc_mean: 5 })));
    expect(unlabelled.filter((r) => r.minutes > 0).map((r) => [r.micro_environment, r.minutes, r.bc_share, r.day_labelled_minutes])).toEqual([['unknown', 5, 1, 0]]);
  });
});
