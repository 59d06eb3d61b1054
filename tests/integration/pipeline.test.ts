/**
 * Rows inserted into rawdata travel through change data capture, the four stream services and
 * the JDBC sinks into the warehouse. Two participants, values whose cleaned form is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterCell } from '@polluscope/gps-preprocessing/domain';
import { eventually, freshParticipant, rawdata, warehouse } from './stack.js';

const START_MS = Date.UTC(2026, 2, 2, 8, 0, 0); // Monday 2 March 2026, 09:00 in Paris
const MINUTE = 60_000;
const participants = [freshParticipant('a'), freshParticipant('b')];
const raw = rawdata();
const wh = warehouse();

/** 20 sensor minutes: constant values, one PM2.5 out of range at minute 10, black carbon missing. */
async function insertSensorMinutes(participant: string): Promise<void> {
  for (let minute = 0; minute < 20; minute++) {
    await raw.query(
      `INSERT INTO sensor_measurements (participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity)
       VALUES ($1, 7, $2, 5, $3, 15, 20, NULL, 21, 50, $4)`,
      [participant, new Date(START_MS + minute * MINUTE), minute === 10 ? 1200 : 10, minute < 10 ? 'Rue' : 'Bureau'],
    );
  }
}

/** A stop of 4 minutes, a 2 km walk-speed move of 10 minutes, a second stop of 4 minutes (5 s fixes). */
function trajectory(): { timeMs: number; lat: number; lon: number }[] {
  const points: { timeMs: number; lat: number; lon: number }[] = [];
  const origin = { lat: 48.8466, lon: 2.3522 };
  let t = START_MS;
  for (let i = 0; i < 48; i++, t += 5000) points.push({ timeMs: t, lat: origin.lat + (i % 2) * 0.00005, lon: origin.lon });
  for (let i = 1; i <= 120; i++, t += 5000) points.push({ timeMs: t, lat: origin.lat + (0.018 * i) / 120, lon: origin.lon });
  const end = points.at(-1)!;
  for (let i = 0; i < 48; i++, t += 5000) points.push({ timeMs: t, lat: end.lat + (i % 2) * 0.00005, lon: end.lon });
  return points;
}

beforeAll(async () => {
  for (const participant of participants) {
    await insertSensorMinutes(participant);
    for (const p of trajectory()) {
      await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 3, $2, $3, $4)', [
        participant,
        new Date(p.timeMs),
        p.lat,
        p.lon,
      ]);
    }
  }
});

afterAll(async () => {
  await raw.end();
  await wh.end();
});

describe('rawdata → warehouse through every stage', () => {
  it('brings every sensor row and every GPS point of both participants into the warehouse within 60 s', async () => {
    const counts = await eventually(
      'sensor_clean and gps_clean rows',
      60_000,
      async () => {
        const { rows } = await wh.query<{ sensor: string; gps: string }>(
          `SELECT (SELECT count(*) FROM sensor_clean WHERE participant_virtual_id = ANY($1)) AS sensor,
                  (SELECT count(*) FROM gps_clean WHERE participant_virtual_id = ANY($1)) AS gps`,
          [participants],
        );
        return { sensor: Number(rows[0]?.sensor), gps: Number(rows[0]?.gps) };
      },
      (c) => c.sensor === 40 && c.gps === 2 * 216,
    );
    expect(counts).toEqual({ sensor: 40, gps: 432 });
  });

  it('cleans the values: warm-up and out-of-range removed and imputed, a missing sensor stays null', async () => {
    const { rows } = await wh.query(
      `SELECT participant_virtual_id, extract(epoch FROM time) * 1000 AS time_ms, pm25, no2, bc, imputed_pm25, imputed_no2, imputed_bc, quality_flags, kit_id, activity
         FROM sensor_clean WHERE participant_virtual_id = ANY($1) ORDER BY participant_virtual_id, time`,
      [participants],
    );
    for (const participant of participants) {
      const mine = rows.filter((r) => r.participant_virtual_id === participant);
      expect(mine).toHaveLength(20);
      // The first 3 NO2 minutes of the session are warm-up: removed, then filled from neighbours (all 20).
      expect(mine.slice(0, 3).map((r) => [r.no2, r.imputed_no2, r.quality_flags])).toEqual([
        [20, true, 'no2:warmup'],
        [20, true, 'no2:warmup'],
        [20, true, 'no2:warmup'],
      ]);
      expect(mine[3]).toMatchObject({ no2: 20, imputed_no2: false, quality_flags: null });
      // PM2.5 = 1200 is outside 0…1000: removed and filled with the mean of its neighbours (10).
      expect(mine[10]).toMatchObject({ pm25: 10, imputed_pm25: true, quality_flags: 'pm25:range' });
      expect(mine.every((r) => r.bc === null && r.imputed_bc === false)).toBe(true);
      expect(mine.every((r) => r.kit_id === 7)).toBe(true);
    }
  });

  it('classifies and validates four 5-minute segments per participant', async () => {
    const segments = await eventually(
      'activity_segments rows',
      90_000,
      async () =>
        (
          await wh.query(
            `SELECT participant_virtual_id, segment_start, segment_end, minutes, predicted_label, confidence, declared_label, match, needs_review, review_reason, pm25_mean
               FROM activity_segments WHERE participant_virtual_id = ANY($1) ORDER BY participant_virtual_id, segment_start`,
            [participants],
          )
        ).rows,
      (rows) => rows.length === 8,
    );
    for (const participant of participants) {
      const mine = segments.filter((s) => s.participant_virtual_id === participant);
      expect(mine.map((s) => s.segment_start.getTime() - START_MS)).toEqual([0, 5, 10, 15].map((m) => m * MINUTE));
      expect(mine.every((s) => s.minutes === 5 && s.segment_end.getTime() - s.segment_start.getTime() === 5 * MINUTE)).toBe(true);
      // Declared "Rue" is normalised to Walk; the last two segments were declared Bureau.
      expect(mine.map((s) => s.declared_label)).toEqual(['Walk', 'Walk', 'Bureau', 'Bureau']);
      expect(mine.every((s) => typeof s.predicted_label === 'string' && s.confidence > 0 && s.confidence <= 1)).toBe(true);
      expect(mine.every((s) => s.match === (s.predicted_label === s.declared_label))).toBe(true);
      // A segment is a review candidate exactly when it has a reason (the budgeted flag is the timeline's).
      expect(mine.every((s) => (s.review_reason !== null) === s.needs_review)).toBe(true);
      expect(mine[0].pm25_mean).toBeCloseTo(10, 10);
    }
  });

  it('indexes every GPS point on the original grid and finds the stops of both participants', async () => {
    const { rows } = await wh.query(
      `SELECT lat, lon, col, "row", hilbert, ST_X(geom) AS x, ST_Y(geom) AS y FROM gps_clean WHERE participant_virtual_id = $1 ORDER BY time LIMIT 5`,
      [participants[0]],
    );
    for (const row of rows) {
      const cell = rasterCell(row.lat, row.lon);
      expect({ col: row.col, row: row.row, hilbert: Number(row.hilbert) }).toEqual(cell);
      expect([row.x, row.y]).toEqual([row.lon, row.lat]);
    }
    const episodes = await eventually(
      'gps_episodes rows',
      90_000,
      async () =>
        (
          await wh.query(
            `SELECT participant_virtual_id, episode_start, episode_type, point_count FROM gps_episodes
              WHERE participant_virtual_id = ANY($1) AND episode_type = 'stop' ORDER BY participant_virtual_id, episode_start`,
            [participants],
          )
        ).rows,
      (rows) => participants.every((p) => rows.filter((r) => r.participant_virtual_id === p).length >= 2),
    );
    for (const participant of participants) {
      const stops = episodes.filter((e) => e.participant_virtual_id === participant);
      expect(stops[0].episode_start.getTime()).toBe(START_MS);
      // The second stop begins where the walker comes within the 100 m diameter of where they stay:
      // at 3.3 m/s, up to 30 s before the last point of the move (t = 835 s).
      const secondStartS = (stops[1].episode_start.getTime() - START_MS) / 1000;
      expect(secondStartS).toBeGreaterThanOrEqual(805);
      expect(secondStartS).toBeLessThanOrEqual(840);
    }
  });
});
