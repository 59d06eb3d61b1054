import { describe, expect, it } from 'vitest';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import type { SensorMinuteRecord } from '../records.js';
import { at, P, seg } from '../test-fixtures.js';
import { measureTimeline } from './measure-timeline.js';

/** A clean sensor minute `m` minutes after T0 with PM2.5 and BC. */
function minute(m: number, pm25: number | null, bc: number | null, participant = P): SensorMinuteRecord {
  return { participant_virtual_id: participant, time: at(m), pm1: null, pm25, pm10: null, no2: null, bc, temperature: null, humidity: null };
}

describe('measureTimeline', () => {
  // Entries with 5 nominal minutes and means that the sensor minutes replace.
  const entries = fuseTimeline([seg(0, 'Domicile', { pm25_mean: 99 }), seg(1, 'Bus', { pm25_mean: 99 })], [], []);

  it('counts each entry’s minutes and averages the values present', () => {
    const measured = measureTimeline(entries, [minute(0, 10, 1000), minute(1, 20, null), minute(4, null, null), minute(6, 30, 3000)]);
    expect(measured.map((e) => [e.final_label, e.minutes, e.pm25_mean, e.bc_mean, e.no2_mean])).toEqual([
      ['Domicile', 3, 15, 1000, null],
      ['Bus', 1, 30, 3000, null],
    ]);
    expect(measured[0]).toMatchObject({ source: 'sensors', segment_start: at(0), segment_end: at(5) });
  });

  it('gives an entry without minutes 0 minutes and null means', () => {
    expect(measureTimeline(entries, [minute(2, 10, 10)]).map((e) => [e.minutes, e.pm25_mean])).toEqual([
      [1, 10],
      [0, null],
    ]);
  });

  it('puts minutes outside every entry into unlabelled entries on the 5-minute grid', () => {
    const measured = measureTimeline(entries, [minute(11, 40, null), minute(13, 50, null), minute(-1, 7, null)]);
    expect(measured.map((e) => [e.segment_start, e.final_label, e.minutes, e.pm25_mean])).toEqual([
      [at(-5), null, 1, 7],
      [at(0), 'Domicile', 0, null],
      [at(5), 'Bus', 0, null],
      [at(10), null, 2, 45],
    ]);
  });

  it('counts a repeated minute once (the last), and keeps participants apart', () => {
    const measured = measureTimeline(entries, [minute(0, 10, null), minute(0, 12, null), minute(1, 99, null, 'p2')]);
    expect(measured.map((e) => [e.participant_virtual_id, e.final_label, e.minutes, e.pm25_mean])).toEqual([
      [P, 'Domicile', 1, 12],
      [P, 'Bus', 0, null],
      ['p2', null, 1, 99],
    ]);
  });
});
