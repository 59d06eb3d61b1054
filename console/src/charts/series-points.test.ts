import { describe, expect, it } from 'vitest';
import { shapeSensorMinutes } from '../day/shape-participant-day.js';
import { DAY_START_MS, sensorRow } from '../day/test-rows.js';
import { flaggedMinutes, seriesPoints } from './series-points.js';

const MINUTE_MS = 60_000;

describe('seriesPoints', () => {
  it('is empty without minutes', () => {
    expect(seriesPoints([], 'pm25')).toEqual([]);
  });

  it('gives one point per minute, null for a missing value, and breaks the line over a gap', () => {
    const minutes = shapeSensorMinutes([sensorRow(0, { pm25: 8 }), sensorRow(1, { pm25: null }), sensorRow(2, { pm25: 9 }), sensorRow(10, { pm25: 11 })]);
    expect(seriesPoints(minutes, 'pm25').map((p) => [(p.time.getTime() - DAY_START_MS) / MINUTE_MS, p.value])).toEqual([
      [0, 8],
      [1, null],
      [2, 9],
      [3, null],
      [10, 11],
    ]);
  });
});

describe('flaggedMinutes', () => {
  it('keeps the minutes flagged for that pollutant, with the value when there is one', () => {
    const minutes = shapeSensorMinutes([sensorRow(0, { quality_flags: 'no2:warmup', no2: null }), sensorRow(1, { quality_flags: 'pm10:high;no2:spike', pm10: 420 }), sensorRow(2)]);
    expect(flaggedMinutes(minutes, 'no2').map((f) => [f.value, f.flags])).toEqual([
      [null, 'warmup'],
      [15, 'spike'],
    ]);
    expect(flaggedMinutes(minutes, 'pm10').map((f) => [f.value, f.flags])).toEqual([[420, 'high']]);
    expect(flaggedMinutes(minutes, 'bc')).toEqual([]);
  });
});
