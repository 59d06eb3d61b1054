import { describe, expect, it } from 'vitest';
import { RAW_TABLES } from '../loader/raw-tables.js';
import { rawRecordOf, spanQuery } from './reprocess.js';

describe('rawRecordOf', () => {
  it('gives a rawdata row the shape change data capture gives it: numeric id, ISO-8601 time', () => {
    expect(rawRecordOf({ id: '42', participant_virtual_id: 'p1', time: new Date(Date.UTC(2026, 2, 4, 10)), lat: 48.85, tablet_id: null })).toEqual({
      id: 42,
      participant_virtual_id: 'p1',
      time: '2026-03-04T10:00:00.000Z',
      lat: 48.85,
      tablet_id: null,
    });
  });
});

describe('spanQuery', () => {
  it('selects the participant\'s rows in time order, the span as parameters', () => {
    expect(spanQuery(RAW_TABLES.gps, { participant: 'p1' })).toEqual({
      text: 'SELECT "id", "participant_virtual_id", "tablet_id", "time", "lat", "lon" FROM "gps_positions" WHERE participant_virtual_id = $1 ORDER BY time, id',
      values: ['p1'],
    });
    const both = spanQuery(RAW_TABLES.sensor, { participant: 'p1', fromMs: 0, toMs: 60_000 });
    expect(both.text).toMatch(/WHERE participant_virtual_id = \$1 AND time >= \$2 AND time < \$3 ORDER BY time, id$/);
    expect(both.values).toEqual(['p1', new Date(0), new Date(60_000)]);
    expect(spanQuery(RAW_TABLES.sensor, { participant: 'p1', toMs: 5 }).text).toContain('AND time < $2 ORDER BY');
  });
});
