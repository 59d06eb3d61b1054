import { describe, expect, it } from 'vitest';
import { validateGpsRecord } from './validate-gps-record.js';

describe('validateGpsRecord', () => {
  it.each([
    [{ timeMs: 0, lat: 48.8, lon: 2.3 }, null],
    [{ timeMs: 0, lat: -90, lon: 180 }, null],
    [{ timeMs: null, lat: 48.8, lon: 2.3 }, 'time missing or unparseable'],
    [{ timeMs: Number.NaN, lat: 48.8, lon: 2.3 }, 'time missing or unparseable'],
    [{ timeMs: 0, lat: undefined, lon: 2.3 }, 'lat missing'],
    [{ timeMs: 0, lat: 48.8, lon: null }, 'lon missing'],
    [{ timeMs: 0, lat: Number.NaN, lon: 2.3 }, 'lat not a number'],
    [{ timeMs: 0, lat: 48.8, lon: Number.POSITIVE_INFINITY }, 'lon not a number'],
    [{ timeMs: 0, lat: 90.0001, lon: 2.3 }, 'lat outside [-90, 90]'],
    [{ timeMs: 0, lat: 48.8, lon: -180.5 }, 'lon outside [-180, 180]'],
  ])('%o → %s', (record, problem) => {
    expect(validateGpsRecord(record)).toBe(problem);
  });
});
