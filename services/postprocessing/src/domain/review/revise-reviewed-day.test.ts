import { describe, expect, it } from 'vitest';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import { computeDailyExposure } from '../exposure/daily-exposure.js';
import { decision, seg } from '../test-fixtures.js';
import { reviseReviewedDay } from './revise-reviewed-day.js';

describe('reviseReviewedDay', () => {
  // A day of home, then a last segment the sensors call Bus: the only Bus minutes of the day.
  const day = fuseTimeline([seg(0, 'Domicile', { bc_mean: 1000 }), seg(1, 'Domicile', { bc_mean: 1000 }), seg(2, 'Bus', { minutes: 4, bc_mean: 5000 })], [], []);
  const spent = (rows: ReturnType<typeof computeDailyExposure>) => rows.filter((r) => r.minutes > 0).map((r) => [r.micro_environment, r.minutes, r.bc_share]);

  it('moves the day’s last segment out of its micro-environment: that row comes back with 0 minutes, not stale', () => {
    expect(spent(computeDailyExposure(day))).toEqual([
      ['Bus', 4, 20000 / 30000],
      ['Domicile', 10, 10000 / 30000],
    ]);
    const revised = reviseReviewedDay(day, [decision(2, 'Walk')]);
    expect(revised.timeline.map((e) => [e.segment_start, e.final_label, e.source])).toEqual([[day[2]!.segment_start, 'Walk', 'review']]);
    expect(spent(revised.exposure)).toEqual([
      ['Domicile', 10, 10000 / 30000],
      ['Walk', 4, 20000 / 30000],
    ]);
    expect(revised.exposure.find((r) => r.micro_environment === 'Bus')).toMatchObject({ minutes: 0, bc_time_integrated_concentration: 0, bc_share: 0 });
    // The same rows as the stream's function gives on the corrected day: one exposure function.
    expect(revised.exposure).toEqual(computeDailyExposure([day[0]!, day[1]!, revised.timeline[0]!]));
    expect(revised.exposure.reduce((sum, r) => sum + (r.bc_share ?? 0), 0)).toBeCloseTo(1, 12);
  });

  it('applies the latest decision per segment, stored and new alike', () => {
    const revised = reviseReviewedDay(day, [decision(2, 'Métro', 2000), decision(2, 'Walk', 1000), decision(0, 'Bureau', 1000)]);
    expect(revised.timeline.map((e) => e.final_label)).toEqual(['Bureau', 'Métro']);
    expect(spent(revised.exposure).map(([environment]) => environment)).toEqual(['Bureau', 'Domicile', 'Métro']);
  });

  it('changes nothing for a decision on a segment the day does not have', () => {
    const revised = reviseReviewedDay(day, [decision(7, 'Walk')]);
    expect(revised.timeline).toEqual([]);
    expect(revised.exposure).toEqual(computeDailyExposure(day));
  });
});
