import { describe, expect, it } from 'vitest';
import { finalLabelAt, shapeExposure, shapeFixes, shapeSensorMinutes, shapeStops, shapeTimeline, summariseDataQuality, summariseGpsQuality } from './shape-participant-day.js';
import { DAY_START_MS, exposureRow, fixRow, sensorRow, stopRow, timelineRow } from './test-rows.js';

const MINUTE_MS = 60_000;

describe('shapeSensorMinutes', () => {
  it('is empty without rows', () => {
    expect(shapeSensorMinutes([])).toEqual([]);
  });

  it('keeps the values, lists imputed variables and parses the flags', () => {
    const [minute] = shapeSensorMinutes([sensorRow(3, { no2: null, imputed_bc: true, quality_flags: 'no2:warmup' })]);
    expect(minute).toEqual({
      timeMs: DAY_START_MS + 3 * MINUTE_MS,
      values: { pm1: 5, pm25: 10, pm10: 20, no2: null, bc: 800, temperature: 20, humidity: 50 },
      imputed: ['bc'],
      flags: [{ variable: 'no2', flag: 'warmup' }],
    });
  });
});

describe('shapeTimeline and finalLabelAt', () => {
  const segments = shapeTimeline([timelineRow(5, { final: 'Walk', predicted: 'Bus', declared: null }, { needs_review: true }), timelineRow(0), timelineRow(10, { final: null })]);

  it('sorts the segments and carries the three labels', () => {
    expect(segments.map((s) => [s.startMs - DAY_START_MS, s.declaredLabel, s.predictedLabel, s.finalLabel, s.needsReview])).toEqual([
      [0, 'Domicile', 'Domicile', 'Domicile', false],
      [5 * MINUTE_MS, null, 'Bus', 'Walk', true],
      [10 * MINUTE_MS, 'Domicile', 'Domicile', null, false],
    ]);
  });

  it('finds the segment holding a time: start included, end excluded; none outside', () => {
    expect(finalLabelAt(segments, DAY_START_MS + 4 * MINUTE_MS)).toBe('Domicile');
    expect(finalLabelAt(segments, DAY_START_MS + 5 * MINUTE_MS)).toBe('Walk');
    expect(finalLabelAt(segments, DAY_START_MS + 15 * MINUTE_MS)).toBeNull();
    expect(finalLabelAt([], DAY_START_MS)).toBeNull();
  });
});

describe('shapeFixes', () => {
  it('gives each fix its episode and the final label of its segment, and marks fixes outside the grid', () => {
    const segments = shapeTimeline([timelineRow(0), timelineRow(5, { final: 'Walk' })]);
    const fixes = shapeFixes(
      [fixRow(1, 48.8, 2.3, { start: 0, type: 'stop' }), fixRow(6, 48.81, 2.31, { start: 5, type: 'move', mode: 'Walk' }), fixRow(20, 50.1, 4.0, null, null)],
      segments,
    );
    expect(fixes.map((f) => [f.episodeType, f.transportMode, f.finalLabel, f.inGrid, f.episodeStartMs === null ? null : f.episodeStartMs - DAY_START_MS])).toEqual([
      ['stop', null, 'Domicile', true, 0],
      ['move', 'Walk', 'Walk', true, 5 * MINUTE_MS],
      [null, null, null, false, null],
    ]);
  });
});

describe('shapeStops', () => {
  it('keeps stops with a centroid, duration in seconds', () => {
    expect(shapeStops([stopRow(0, 30, 48.8, 2.3), stopRow(40, 50, null, null)])).toEqual([
      { startMs: DAY_START_MS, endMs: DAY_START_MS + 30 * MINUTE_MS, lat: 48.8, lon: 2.3, durationS: 1800, radiusM: 40 },
    ]);
  });
});

describe('shapeExposure', () => {
  it('keeps the micro-environments visited, most minutes first, with the day coverage', () => {
    const exposure = shapeExposure([exposureRow('Bus', 5, 0.4), exposureRow('Domicile', 20, 0.5), exposureRow('Parc', 0, 0), exposureRow('unknown', 5, 0.1)]);
    expect(exposure.rows.map((r) => [r.microEnvironment, r.minutes, r.shares.bc])).toEqual([
      ['Domicile', 20, 0.5],
      ['Bus', 5, 0.4],
      ['unknown', 5, 0.1],
    ]);
    expect([exposure.measuredMinutes, exposure.labelledMinutes, exposure.dayLengthMinutes]).toEqual([30, 25, 1440]);
  });

  it('has no rows and unknown coverage for a day without exposure', () => {
    expect(shapeExposure([])).toEqual({ rows: [], measuredMinutes: null, labelledMinutes: null, dayLengthMinutes: null });
  });
});

describe('summariseDataQuality', () => {
  it('counts minutes with a value, imputed and flagged by flag, per variable; and the GPS fixes', () => {
    const minutes = shapeSensorMinutes([
      sensorRow(0, { no2: null, quality_flags: 'no2:warmup' }),
      sensorRow(1, { no2: null, quality_flags: 'no2:warmup;pm25:high', pm25: 320 }),
      sensorRow(2, { imputed_no2: true }),
    ]);
    const fixes = shapeFixes([fixRow(0, 48.8, 2.3, null), fixRow(1, 50.1, 4, null, null)], []);
    const quality = summariseDataQuality(minutes, summariseGpsQuality(fixes, null));
    expect(quality.minutes).toBe(3);
    expect(quality.variables.find((v) => v.variable === 'no2')).toEqual({ variable: 'no2', withValue: 1, imputed: 1, flagged: { warmup: 2 } });
    expect(quality.variables.find((v) => v.variable === 'pm25')).toEqual({ variable: 'pm25', withValue: 3, imputed: 0, flagged: { high: 1 } });
    expect(quality.gps).toEqual({ keptFixes: 2, outsideGrid: 1, rawFixes: null, droppedByReason: null });
    expect(summariseGpsQuality(fixes, [{ reason: 'too-fast', fixes: 3 }, { reason: 'duplicate', fixes: 1 }])).toEqual({
      keptFixes: 2,
      outsideGrid: 1,
      rawFixes: 6,
      droppedByReason: { 'too-fast': 3, duplicate: 1 },
    });
    expect(summariseGpsQuality(fixes, [])).toEqual({ keptFixes: 2, outsideGrid: 1, rawFixes: 2, droppedByReason: {} });
  });
});
