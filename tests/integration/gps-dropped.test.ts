/**
 * The GPS fixes the cleaner drops reach the warehouse (docs/warehouse.md, gps_dropped): a walk with
 * one impossible jump inserted into rawdata travels through change data capture, gps-preprocessing
 * (topic gps.dropped) and the points sink; the jump is in gps_dropped with its reason and not in
 * gps_clean, and gps_quality_daily counts it beside the kept fixes, as a researcher reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@polluscope/common';
import { kafkaClient, readRecords } from '../../cli/src/operations/kafka-records.js';
import { endpoints, eventually, freshParticipant, rawdata, researcherPool, warehouse } from './stack.js';

const START_MS = Date.UTC(2026, 4, 12, 7, 0, 0); // Tuesday 12 May 2026, 09:00 in Paris
const DAY = '2026-05-12';
/** 30 fixes 10 s apart, walking north at about 1.1 m/s: every one kept. */
const WALK = Array.from({ length: 30 }, (_, i) => ({ time: new Date(START_MS + i * 10_000), lat: 48.8466 + i * 0.0001, lon: 2.3522 }));
/** 5 s after the 11th fix, 50 km north: 36,000 km/h from the last kept fix, dropped as too fast. */
const JUMP = { time: new Date(START_MS + 105_000), lat: 49.3, lon: 2.3522 };
/** How long the fixes may take to reach the warehouse: the tail waits for the idle flush, then the sink. */
const ARRIVAL_TIMEOUT_MS = 180_000;

const participant = freshParticipant('gps-dropped');
const raw = rawdata();
const wh = warehouse();
const researcher = researcherPool();

interface DroppedRow {
  time: Date;
  tablet_id: number | null;
  lat: number;
  lon: number;
  reason: string;
}

async function counts(): Promise<{ kept: number; dropped: number }> {
  const { rows } = await wh.query<{ kept: number; dropped: number }>(
    `SELECT (SELECT count(*)::int FROM gps_clean WHERE participant_virtual_id = $1) AS kept,
            (SELECT count(*)::int FROM gps_dropped WHERE participant_virtual_id = $1) AS dropped`,
    [participant],
  );
  return rows[0]!;
}

beforeAll(async () => {
  // In time order, as a kit sends them: a fix behind the last one cleaned would be dead-lettered as late.
  const fixes = [...WALK, JUMP].sort((a, b) => a.time.getTime() - b.time.getTime());
  await raw.query(
    `INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon)
     SELECT $1, 4, t, lat, lon FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS f (t, lat, lon)`,
    [participant, fixes.map((f) => f.time), fixes.map((f) => f.lat), fixes.map((f) => f.lon)],
  );
  await eventually(
    `${participant}: ${WALK.length} fixes in gps_clean and 1 in gps_dropped`,
    ARRIVAL_TIMEOUT_MS,
    counts,
    (c) => c.kept === WALK.length && c.dropped === 1,
  );
}, ARRIVAL_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await Promise.all([raw.end(), wh.end(), researcher.end()]);
});

describe('GPS fixes dropped by the cleaner', () => {
  it('are in gps_dropped with their reason, and not in gps_clean', async () => {
    const dropped = await wh.query<DroppedRow>('SELECT time, tablet_id, lat, lon, reason FROM gps_dropped WHERE participant_virtual_id = $1', [participant]);
    expect(dropped.rows).toEqual([{ time: JUMP.time, tablet_id: 4, lat: JUMP.lat, lon: JUMP.lon, reason: 'too-fast' }]);
    const kept = await wh.query<{ time: Date }>('SELECT time FROM gps_clean WHERE participant_virtual_id = $1 ORDER BY time', [participant]);
    expect(kept.rows.map((r) => r.time.getTime())).toEqual(WALK.map((f) => f.time.getTime()));
  });

  it('went through gps.dropped once, keyed by the participant', async () => {
    const records = (await readRecords(kafkaClient(endpoints.kafkaBrokers), [TOPICS.gpsDropped.name])).filter((r) => r.message.key?.toString() === participant);
    expect(records, 'records of the participant on gps.dropped').toHaveLength(1);
  });

  it('are counted by gps_quality_daily, beside the kept fixes, for the researcher', async () => {
    const { rows } = await researcher.query<{ reason: string; dropped_fixes: number; kept_fixes: number; received_fixes: number; dropped_share: number }>(
      `SELECT reason, dropped_fixes, kept_fixes, received_fixes, dropped_share
         FROM gps_quality_daily WHERE participant_virtual_id = $1 AND day = $2::date ORDER BY reason`,
      [participant, DAY],
    );
    expect(rows.map((r) => [r.reason, r.dropped_fixes, r.kept_fixes, r.received_fixes])).toEqual([
      ['duplicate', 0, WALK.length, WALK.length + 1],
      ['same-time', 0, WALK.length, WALK.length + 1],
      ['too-fast', 1, WALK.length, WALK.length + 1],
    ]);
    expect(rows.find((r) => r.reason === 'too-fast')?.dropped_share).toBeCloseTo(1 / (WALK.length + 1), 9);
  });
});
