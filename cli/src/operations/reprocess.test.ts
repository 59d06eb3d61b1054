import { describe, expect, it } from 'vitest';
import { RAW_TABLES } from '../loader/raw-tables.js';
import { decisionRecordOf, decisionsQuery, handedOutIdsQuery, rawRecordOf, SESSION_GAP_MS, sessionStartQuery, spanDeletes, spanQuery } from './reprocess.js';

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
    const settled = spanQuery(RAW_TABLES.gps, { participant: 'p1', fromMs: 0 }, 77);
    expect(settled.text).toMatch(/AND time >= \$2 AND id <= \$3 ORDER BY time, id$/);
    expect(settled.values).toEqual(['p1', new Date(0), 77]);
  });
});

describe('sessionStartQuery', () => {
  it('looks at both raw tables up to the time, for a gap of 25 h, all as parameters', () => {
    const { text, values } = sessionStartQuery('p1', Date.UTC(2026, 2, 4));
    expect(text).toContain('FROM "sensor_measurements" WHERE participant_virtual_id = $1 AND time <= $2 UNION ALL SELECT time FROM "gps_positions"');
    expect(text).toContain('WHERE gap IS NULL OR gap >= make_interval(secs => $3)');
    expect(values).toEqual(['p1', new Date(Date.UTC(2026, 2, 4)), 90_000]);
    expect(SESSION_GAP_MS).toBe(25 * 3_600_000);
  });
});

describe('spanDeletes', () => {
  it('deletes the participant\'s rows of every recomputed table from the span\'s start, days of exposure from its local day', () => {
    // 23:30 UTC on 4 March is 00:30 on 5 March in Paris.
    const deletes = spanDeletes({ participant: 'p1', fromMs: Date.UTC(2026, 2, 4, 23, 30) }, 'Europe/Paris');
    expect(deletes.map((d) => d.table)).toEqual(['sensor_clean', 'activity_segments', 'gps_clean', 'gps_dropped', 'gps_episodes', 'activity_timeline', 'exposure_daily']);
    expect(deletes[4]).toEqual({
      table: 'gps_episodes',
      text: 'DELETE FROM "gps_episodes" WHERE participant_virtual_id = $1 AND "episode_start" >= $2',
      values: ['p1', new Date(Date.UTC(2026, 2, 4, 23, 30))],
    });
    expect(deletes[6]).toEqual({ table: 'exposure_daily', text: 'DELETE FROM "exposure_daily" WHERE participant_virtual_id = $1 AND day >= $2::date', values: ['p1', '2026-03-05'] });
    // In UTC the same instant is still 4 March.
    expect(spanDeletes({ participant: 'p1', fromMs: Date.UTC(2026, 2, 4, 23, 30) }, 'UTC')[6]?.values).toEqual(['p1', '2026-03-04']);
  });

  it('bounds the span on both sides, and takes every row without bounds', () => {
    const both = spanDeletes({ participant: 'p1', fromMs: 0, toMs: 86_400_000 }, 'UTC');
    expect(both[0]).toEqual({ table: 'sensor_clean', text: 'DELETE FROM "sensor_clean" WHERE participant_virtual_id = $1 AND "time" >= $2 AND "time" < $3', values: ['p1', new Date(0), new Date(86_400_000)] });
    expect(both[6]?.values).toEqual(['p1', '1970-01-01', '1970-01-02']);
    expect(spanDeletes({ participant: 'p1' }, 'UTC').map((d) => d.values)).toEqual(Array(7).fill(['p1']));
  });
});

describe('handedOutIdsQuery', () => {
  it('reads both raw tables\' sequences, named by their tables as parameters, beside the snapshot\'s xmax', () => {
    const { text, values } = handedOutIdsQuery();
    expect(values).toEqual(['sensor_measurements', 'gps_positions']);
    expect(text).toContain('pg_snapshot_xmax(pg_current_snapshot())::text AS xmax');
    expect(text).toContain("pg_get_serial_sequence($1, 'id')) AS sensor");
    expect(text).toContain("pg_get_serial_sequence($2, 'id')) AS gps");
  });
});

describe('decisionsQuery', () => {
  it("selects the participant's latest decision per segment of the span, the bounds as parameters", () => {
    const q = decisionsQuery({ participant: 'p1', fromMs: Date.UTC(2026, 0, 5), toMs: Date.UTC(2026, 0, 6) });
    expect(q.text).toBe(
      'SELECT participant_virtual_id, segment_start, label, reviewer, comment, decided_at FROM review_decisions_latest ' +
        'WHERE participant_virtual_id = $1 AND segment_start >= $2 AND segment_start < $3 ORDER BY segment_start',
    );
    expect(q.values).toEqual(['p1', new Date(Date.UTC(2026, 0, 5)), new Date(Date.UTC(2026, 0, 6))]);
    expect(decisionsQuery({ participant: 'p1' }).values).toEqual(['p1']);
  });
});

describe('decisionRecordOf', () => {
  it('gives a warehouse decision the times of its review.decisions record: epoch milliseconds', () => {
    const row = { participant_virtual_id: 'p1', segment_start: new Date('2026-01-05T08:00:00Z'), label: 'Bus', reviewer: 'ana', comment: null, decided_at: new Date('2026-01-09T10:30:00Z') };
    expect(decisionRecordOf(row)).toEqual({ participant_virtual_id: 'p1', segment_start: 1767600000000, label: 'Bus', reviewer: 'ana', comment: null, decided_at: 1767954600000 });
  });
});
