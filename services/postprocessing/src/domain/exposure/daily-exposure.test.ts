import { describe, expect, it } from 'vitest';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import { POLLUTANTS, type ActivityTimelineRecord } from '../records.js';
import { P, seg } from '../test-fixtures.js';
import { computeDailyExposure } from './daily-exposure.js';

/** Timeline entries from sensor labels only (no GPS, no smoothing). */
function entries(...segments: Parameters<typeof fuseTimeline>[0]): ActivityTimelineRecord[] {
  return fuseTimeline(segments, [], [], { minTransportProbability: 0.6, minMoveOverlapFraction: 0.5, minStopOverlapFraction: 0.5, smoothGlitches: false });
}

describe('computeDailyExposure', () => {
  const day = entries(
    seg(0, 'Domicile', { bc_mean: 1000, pm25_mean: 10, temperature_mean: 0 }),
    seg(1, 'Domicile', { bc_mean: 2000, pm25_mean: null, temperature_mean: 0 }),
    seg(2, 'Bus', { bc_mean: 3000, pm25_mean: 20, temperature_mean: 0 }),
    seg(3, 'Inconnu', { bc_mean: 9999, pm25_mean: 99 }),
  );

  it('sums minutes, time-weighted means, doses and shares per micro-environment', () => {
    const rows = computeDailyExposure(day);
    expect(rows.map((r) => [r.day, r.micro_environment, r.minutes, r.bc_mean, r.bc_dose, r.bc_share, r.pm25_mean, r.pm25_dose, r.pm25_share])).toEqual([
      [19787, 'Bus', 5, 3000, 15000, 0.5, 20, 100, 100 / 150],
      [19787, 'Domicile', 10, 1500, 15000, 0.5, 10, 50, 50 / 150],
    ]);
    expect(rows[0]?.participant_virtual_id).toBe(P);
  });

  it('gives null means, doses and shares without values, and null shares when the day total is 0', () => {
    const [bus] = computeDailyExposure(day);
    expect([bus?.no2_mean, bus?.no2_dose, bus?.no2_share]).toEqual([null, null, null]);
    expect([bus?.temperature_mean, bus?.temperature_dose, bus?.temperature_share]).toEqual([0, 0, null]);
  });

  it('has shares summing to 1 for each pollutant with a dose', () => {
    const rows = computeDailyExposure(
      entries(
        seg(0, 'Domicile', { pm1_mean: 3, pm10_mean: 7, no2_mean: 11, bc_mean: 700, humidity_mean: 40 }),
        seg(1, 'Voiture', { pm1_mean: 5, pm10_mean: 13, no2_mean: 31, bc_mean: 4100, humidity_mean: 55 }),
        seg(2, 'Walk', { pm1_mean: 17, pm10_mean: 2, no2_mean: 19, bc_mean: 1300, humidity_mean: 60 }),
        seg(3, 'Voiture', { pm1_mean: 1, pm10_mean: null, no2_mean: 23, bc_mean: 2900, humidity_mean: 50 }),
      ),
    );
    for (const p of ['pm1', 'pm10', 'no2', 'bc', 'humidity'] as const) {
      expect(rows.reduce((sum, r) => sum + (r[`${p}_share`] ?? 0), 0)).toBeCloseTo(1, 12);
    }
    // Road traffic's share of BC: (4100 + 2900) × 5 / ((700 + 4100 + 1300 + 2900) × 5).
    expect(rows.find((r) => r.micro_environment === 'Voiture')?.bc_share).toBeCloseTo(7000 / 9000, 12);
    expect(POLLUTANTS.filter((p) => rows[0]?.[`${p}_share`] === null)).toEqual(['pm25', 'temperature']);
  });

  it('splits days at local midnight of the time zone', () => {
    // 22:55 and 23:00 UTC on 4 March are 23:55 on the 4th and 00:00 on the 5th in Paris.
    const late = (startMs: number) => seg(0, 'Domicile', { segment_start: startMs, segment_end: startMs + 300_000, pm25_mean: 8 });
    const night = entries(late(Date.UTC(2024, 2, 4, 22, 55)), late(Date.UTC(2024, 2, 4, 23, 0)));
    expect(computeDailyExposure(night).map((r) => [r.day, r.minutes, r.pm25_share])).toEqual([
      [19786, 5, 1],
      [19787, 5, 1],
    ]);
    expect(computeDailyExposure(night, { timeZone: 'UTC' }).map((r) => [r.day, r.minutes, r.pm25_share])).toEqual([[19786, 10, 1]]);
  });

  it('is empty without labelled entries', () => {
    expect(computeDailyExposure([])).toEqual([]);
    expect(computeDailyExposure(entries(seg(0, null, { bc_mean: 5 })))).toEqual([]);
  });
});
