/**
 * The five researcher questions of docs/warehouse.md ("Five researcher questions, worked"), read
 * from the document and run as the read-only researcher login on a participant-day that the
 * pipeline has just computed: two hours of sensor minutes and GPS fixes (a stop at home, a walk,
 * a stop at the office, one impossible jump), declared activities, one out-of-range temperature.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { researcherQuestions, type ResearcherQuestion } from './researcher-questions.js';
import { eventually, freshParticipant, rawdata, researcherPool, stackConfig, warehouse } from './stack.js';

const START_MS = Date.UTC(2026, 2, 10, 6, 0, 0); // Tuesday 10 March 2026, 07:00 in Paris
const DAY = '2026-03-10';
const MINUTE = 60_000;
const SENSOR_MINUTES = 120;
/** Fixes of the trajectory, every 10 s, all kept; plus one 50 km away 5 s after the hour, dropped as too fast. */
const KEPT_FIXES = SENSOR_MINUTES * 6;
const JUMP = { time: new Date(START_MS + 3605_000), lat: 49.3, lon: 2.3522 };
const OUT_OF_RANGE_MINUTE = 40;
const participant = freshParticipant('rq');
const raw = rawdata();
const wh = warehouse();
const researcher = researcherPool();

/** Home for 20 minutes, a 2 km walk of 10 minutes, the office until the end (10 s fixes). */
function trajectory(): { times: Date[]; lats: number[]; lons: number[] } {
  const home = { lat: 48.8466, lon: 2.3522 };
  const office = { lat: home.lat + 0.018, lon: home.lon };
  const times: Date[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  for (let s = 0; s < SENSOR_MINUTES * 60; s += 10) {
    const walked = Math.min(Math.max((s - 20 * 60) / (10 * 60), 0), 1);
    const jitter = (s / 10) % 2 === 0 ? 0 : 0.00005;
    times.push(new Date(START_MS + s * 1000));
    lats.push(home.lat + (office.lat - home.lat) * walked + jitter);
    lons.push(home.lon);
  }
  return { times, lats, lons };
}

/** Declared: at home, then the street (an alias of Walk), the office, and a Métro ride the office's stop contradicts. */
function declaredActivity(minute: number): string {
  if (minute < 20) return 'Domicile';
  if (minute < 30) return 'Rue';
  if (minute < 60) return 'Bureau';
  return 'Métro';
}

beforeAll(async () => {
  const minutes = Array.from({ length: SENSOR_MINUTES }, (_, m) => m);
  await raw.query(
    `INSERT INTO sensor_measurements (participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity)
     SELECT $1, 4, t, 6, pm25, 18, no2, 900, temperature, 45, activity
       FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::text[]) AS m (t, pm25, no2, temperature, activity)`,
    [
      participant,
      minutes.map((m) => new Date(START_MS + m * MINUTE)),
      minutes.map((m) => (m >= 20 && m < 30 ? 25 : 12)),
      minutes.map((m) => 20 + (m % 10)),
      minutes.map((m) => (m === OUT_OF_RANGE_MINUTE ? 80 : 21)),
      minutes.map(declaredActivity),
    ],
  );
  const { times, lats, lons } = trajectory();
  // The jump among the other fixes, in time order as a kit sends them (a fix behind the last one
  // cleaned would be dead-lettered as late, not dropped).
  const fixes = [...times.map((time, i) => ({ time, lat: lats[i]!, lon: lons[i]! })), JUMP].sort((a, b) => a.time.getTime() - b.time.getTime());
  await raw.query(
    `INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon)
     SELECT $1, 4, t, lat, lon FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS p (t, lat, lon)`,
    [participant, fixes.map((f) => f.time), fixes.map((f) => f.lat), fixes.map((f) => f.lon)],
  );
  // The day is complete when the timeline and its exposure hold every minute and a stop exists;
  // then it must stop changing (GPS episodes arriving after the sensors revise labels and shares).
  let previous = '';
  let unchanged = 0;
  await eventually('the participant-day, computed and settled', 240_000, async () => {
    const { rows } = await wh.query<{ fingerprint: string; timeline_minutes: number; exposure_minutes: number; stops: number }>(
      `SELECT (SELECT coalesce(sum(minutes), 0)::int FROM activity_timeline WHERE participant_virtual_id = $1) AS timeline_minutes,
              (SELECT coalesce(sum(minutes), 0)::int FROM exposure_daily WHERE participant_virtual_id = $1) AS exposure_minutes,
              (SELECT count(*)::int FROM gps_episodes WHERE participant_virtual_id = $1 AND episode_type = 'stop') AS stops,
              (SELECT string_agg(concat_ws('|', segment_start, final_label, source), ',' ORDER BY segment_start) FROM activity_timeline WHERE participant_virtual_id = $1)
              || (SELECT string_agg(concat_ws('|', micro_environment, minutes, bc_share), ',' ORDER BY micro_environment) FROM exposure_daily WHERE participant_virtual_id = $1)
              || (SELECT string_agg(concat_ws('|', episode_start, episode_end), ',' ORDER BY episode_start) FROM gps_episodes WHERE participant_virtual_id = $1) AS fingerprint`,
      [participant],
    );
    const row = rows[0];
    const complete = row !== undefined && row.timeline_minutes === SENSOR_MINUTES && row.exposure_minutes === SENSOR_MINUTES && row.stops > 0;
    unchanged = complete && row.fingerprint === previous ? unchanged + 1 : 0;
    previous = row?.fingerprint ?? '';
    return unchanged;
  }, (polls) => polls >= 8);
});

afterAll(async () => {
  await Promise.all([raw.end(), wh.end(), researcher.end()]);
});

const questions = researcherQuestions(readFileSync(join(stackConfig.repoRoot, 'docs', 'warehouse.md'), 'utf8'));

async function ask(name: string): Promise<pg.QueryResult> {
  const question = questions.find((q: ResearcherQuestion) => q.name === name);
  if (!question) throw new Error(`docs/warehouse.md has no question ${name}`);
  return researcher.query(question.sql, [participant, DAY]);
}

const columns = (result: pg.QueryResult) => result.fields.map((f) => f.name);
/** round(…) answers numeric, which pg hands over as text. */
const num = (value: unknown) => (value === null ? null : Number(value));

describe('the five researcher questions of docs/warehouse.md', () => {
  it('are all there, in the order of the document', () => {
    expect(questions.map((q) => q.name)).toEqual(['exposure-shares', 'no2-hourly-profile', 'review-queue', 'stops-of-a-day', 'day-quality', 'day-gps-quality']);
  });

  it('run in a researcher session that is read-only and in Europe/Paris', async () => {
    const { rows } = await researcher.query<{ timezone: string; read_only: string }>(
      "SELECT current_setting('timezone') AS timezone, current_setting('default_transaction_read_only') AS read_only",
    );
    expect(rows).toEqual([{ timezone: 'Europe/Paris', read_only: 'on' }]);
  });

  it('exposure-shares: places visited with their group; every share of the day sums to 1', async () => {
    const result = await ask('exposure-shares');
    expect(columns(result)).toEqual([
      'micro_environment', 'label_group', 'minutes', 'share_of_measured_time', 'pm25_ug_m3', 'no2_ppb', 'bc_ng_m3',
      'pm25_share', 'no2_share', 'bc_share', 'group_pm25_share', 'group_no2_share', 'group_bc_share',
      'day_measured_minutes', 'day_labelled_minutes',
    ]);
    const rows = result.rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => ['indoor', 'outdoor', 'transport', 'unknown'].includes(r.label_group) && r.minutes > 0)).toBe(true);
    expect(rows.reduce((sum, r) => sum + Number(r.minutes), 0)).toBe(SENSOR_MINUTES);
    expect(rows.every((r) => Number(r.day_measured_minutes) === SENSOR_MINUTES)).toBe(true);
    for (const share of ['share_of_measured_time', 'pm25_share', 'no2_share', 'bc_share']) {
      expect(rows.reduce((sum, r) => sum + (num(r[share]) ?? 0), 0), share).toBeCloseTo(1, 1);
    }
    // A group's share is the sum of its places' shares, once per group.
    const groups = new Map(rows.map((r) => [r.label_group, num(r.group_bc_share) ?? 0]));
    expect([...groups.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
    expect(rows.every((r) => num(r.pm25_ug_m3)! >= 12 && num(r.pm25_ug_m3)! <= 25)).toBe(true);
  });

  it('no2-hourly-profile: the local hours 7 and 8, in order, NO2 in ppb and µg/m³', async () => {
    const result = await ask('no2-hourly-profile');
    expect(columns(result)).toEqual(['local_hour', 'no2_minutes', 'no2_ppb', 'no2_ug_m3', 'no2_max_ppb', 'usual_micro_environment']);
    const rows = result.rows;
    expect(rows.map((r) => r.local_hour)).toEqual([7, 8]);
    expect(rows.map((r) => r.no2_minutes)).toEqual([60, 60]);
    for (const r of rows) {
      expect(num(r.no2_ppb)).toBeGreaterThanOrEqual(20);
      expect(num(r.no2_ppb)).toBeLessThanOrEqual(29);
      expect(num(r.no2_max_ppb)).toBeLessThanOrEqual(29);
      expect(num(r.no2_ug_m3)).toBeCloseTo(num(r.no2_ppb)! * 1.88, 0);
    }
  });

  it('review-queue: the day\'s pending flags, likeliest wrong first, each with its reason', async () => {
    const result = await ask('review-queue');
    expect(columns(result)).toEqual([
      'local_start', 'predicted_label', 'confidence', 'declared_label', 'final_label', 'final_source', 'final_group', 'rule_applied', 'review_reason', 'wrong_probability',
    ]);
    const rows = result.rows;
    // The last hour was declared Métro at the office's stop: a contradiction across groups. The
    // day's 24 segments allow one flag (5 %, rounded down).
    expect(rows.length).toBe(1);
    expect(rows.every((r) => ['low_confidence_no_gps', 'contradicts_declaration'].includes(r.review_reason))).toBe(true);
    const wrong = rows.map((r) => num(r.wrong_probability)!);
    expect(wrong.every((p) => p >= 0.5 && p <= 1)).toBe(true);
    expect(wrong).toEqual([...wrong].sort((a, b) => b - a));
    // local_start is a wall-clock time without zone: pg reads it in this process's zone, so local getters give it back.
    expect(rows.every((r) => r.local_start.getDate() === 10 && r.local_start.getHours() >= 7 && r.local_start.getHours() <= 8)).toBe(true);
    expect(rows.every((r) => ['indoor', 'outdoor', 'transport', 'unknown'].includes(r.final_group))).toBe(true);
  });

  it('stops-of-a-day: the stops at home and at the office, with durations inside the day', async () => {
    const result = await ask('stops-of-a-day');
    expect(columns(result)).toEqual([
      'local_start', 'local_end', 'duration_min', 'minutes_in_day', 'centroid_lat', 'centroid_lon', 'radius_m', 'spans_signal_loss', 'usual_micro_environment',
    ]);
    const rows = result.rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(num(r.duration_min)).toBeGreaterThan(0);
      expect(num(r.duration_min)).toBeLessThanOrEqual(SENSOR_MINUTES);
      expect(num(r.minutes_in_day)).toBeCloseTo(num(r.duration_min)!, 0);
      expect(r.centroid_lat).toBeGreaterThan(48.84);
      expect(r.centroid_lat).toBeLessThan(48.87);
      expect(r.centroid_lon).toBeCloseTo(2.3522, 3);
      expect(r.local_end.getTime()).toBeGreaterThanOrEqual(r.local_start.getTime());
    }
    expect(rows[0].local_start.getHours()).toBe(7);
  });

  it('day-quality: seven variables, 70 minutes sent, the NO2 warm-up and the temperature out of range', async () => {
    const result = await ask('day-quality');
    expect(columns(result)).toEqual([
      'variable', 'sensor_minutes', 'measured_minutes', 'day_length_minutes', 'coverage', 'imputed_minutes', 'missing_minutes',
      'removed_minutes', 'range_minutes', 'warmup_minutes', 'spike_minutes', 'high_minutes', 'clipped_minutes',
    ]);
    const rows = result.rows;
    expect(rows.map((r) => r.variable)).toEqual(['bc', 'humidity', 'no2', 'pm1', 'pm10', 'pm25', 'temperature']);
    for (const r of rows) {
      expect(r.sensor_minutes).toBe(SENSOR_MINUTES);
      expect(r.day_length_minutes).toBe(1440);
      expect(r.measured_minutes + r.missing_minutes).toBe(SENSOR_MINUTES);
      expect(num(r.coverage)).toBeCloseTo(r.measured_minutes / 1440, 3);
      expect(r.removed_minutes).toBe(r.range_minutes + r.warmup_minutes + r.spike_minutes);
    }
    const of = (variable: string) => rows.find((r) => r.variable === variable)!;
    expect(of('no2').warmup_minutes).toBe(3);
    expect(of('temperature').range_minutes).toBe(1);
    // Both removed values had measured neighbours, so they were imputed.
    expect(of('temperature').imputed_minutes).toBe(1);
    expect(of('temperature').measured_minutes).toBe(SENSOR_MINUTES);
  });

  it('day-gps-quality: every fix kept but the jump, dropped as too fast', async () => {
    // The points sink writes gps.dropped beside gps.clean; the day above was settled on gps_episodes, so wait for the drop too.
    const result = await eventually('the jump and every kept fix in gps_quality_daily', 60_000, () => ask('day-gps-quality'), (r) =>
      r.rows.some((row) => row.reason === 'too-fast' && row.dropped_fixes === 1 && row.kept_fixes === KEPT_FIXES),
    ).catch(async (err: Error) => {
      throw new Error(`${err.message.split('; last seen')[0]}; rows: ${JSON.stringify((await ask('day-gps-quality')).rows)}`);
    });
    expect(columns(result)).toEqual(['reason', 'dropped_fixes', 'dropped_share', 'kept_fixes', 'received_fixes']);
    expect(result.rows.map((r) => [r.reason, r.dropped_fixes, num(r.dropped_share), r.kept_fixes, r.received_fixes])).toEqual([
      ['duplicate', 0, 0, KEPT_FIXES, KEPT_FIXES + 1],
      ['same-time', 0, 0, KEPT_FIXES, KEPT_FIXES + 1],
      ['too-fast', 1, Number((1 / (KEPT_FIXES + 1)).toFixed(4)), KEPT_FIXES, KEPT_FIXES + 1],
    ]);
  });
});
