import { describe, expect, it } from 'vitest';
import { parseSensorRecord, validateSensorRecord } from './validate-sensor-record.js';

describe('validateSensorRecord', () => {
  const good = { participant_virtual_id: 'p1', time: 1_700_000_000_000, pm25: 12.5, no2: null, activity: 'Rue', event: null };

  it('accepts a valid record and parses it', () => {
    expect(validateSensorRecord(good)).toBeNull();
    expect(parseSensorRecord({ ...good, time: '2019-12-18 19:37:49' })).toMatchObject({
      participantId: 'p1',
      row: { timeMs: 1576697869000, pm25: 12.5, no2: null, pm1: null, activity: 'Rue', event: null },
    });
  });

  it('gives the reason for a bad record', () => {
    expect(validateSensorRecord({ ...good, participant_virtual_id: '  ' })).toBe('participant_virtual_id: empty participant id');
    expect(validateSensorRecord({ ...good, time: 'yesterday' })).toBe('time: unparseable time: "yesterday"');
    expect(validateSensorRecord({ ...good, time: Number.NaN })).toBe('time: unparseable time: NaN');
    expect(validateSensorRecord({ ...good, bc: 'high' })).toBe('bc: non-numeric measurement: "high"');
    expect(validateSensorRecord({ ...good, temperature: Number.POSITIVE_INFINITY })).toBe('temperature: non-numeric measurement: Infinity');
  });

  it('with the processing clock, rejects times in 1970 and 2100 but not a recent one', () => {
    const now = Date.UTC(2026, 10, 23);
    expect(validateSensorRecord(good, now)).toBeNull();
    expect(validateSensorRecord({ ...good, time: '1970-01-01T00:00:00Z' }, now)).toBe('time: before 2010-01-01: 1970-01-01T00:00:00.000Z');
    expect(validateSensorRecord({ ...good, time: '2100-06-01T00:00:00Z' }, now)).toMatch(/^future: time 2100-06-01T00:00:00.000Z is \d+ min ahead/);
    // 20 h ahead (a tablet on the wrong day) is from the future too.
    expect(validateSensorRecord({ ...good, time: new Date(now + 20 * 3_600_000).toISOString() }, now)).toMatch(/^future: /);
  });
});
