/**
 * A late review and the daily exposure (docs/design.md §5.5, §5.6; issue 15): a participant's evening
 * (22:00–23:00 in Paris) and the first minutes of the next day go through the pipeline, so the
 * postprocessing state has moved past the evening's day and every review of it takes the
 * late-review path (from the warehouse). The day's last segment is reviewed into a
 * micro-environment the day had not, then out of it again: that micro-environment's
 * exposure_daily row must come back to 0 minutes — not keep its minutes — and the day's shares
 * must sum to 1 with the coverage beside them, equal to computeDailyExposure on the warehouse's
 * own timeline rows of the day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import { computeDailyExposure, type ActivityTimelineRecord } from '@polluscope/postprocessing/domain';
import { servicePort } from '../../cli/src/infra/services.js';
import { createReviewer, type ReviewerLogin } from './reviewer-account.js';
import { eventually, freshParticipant, rawdata, stackConfig, warehouse } from './stack.js';

const MINUTE = 60_000;
/** Wednesday 4 March 2026, 22:00 in Paris (UTC+1): the evening, 60 minutes, 12 segments. */
const EVENING_MS = Date.UTC(2026, 2, 4, 21, 0);
/** Thursday 5 March 2026, 01:00 in Paris: 20 minutes that move the stream's horizon past the 4th. */
const NEXT_NIGHT_MS = Date.UTC(2026, 2, 5, 0, 0);
const DAY = '2026-03-04';
/** The 4th in Paris: [23:00 UTC on the 3rd, 23:00 UTC on the 4th). */
const DAY_START_MS = Date.UTC(2026, 2, 3, 23, 0);
const DAY_END_MS = Date.UTC(2026, 2, 4, 23, 0);
const LAST_SEGMENT = new Date(EVENING_MS + 55 * MINUTE);
const participant = freshParticipant('late-review');
const raw = rawdata();
const wh = warehouse();
const postprocessingUrl = `http://${stackConfig.host}:${servicePort(stackConfig, 'postprocessing')}`;

interface ExposureRow {
  micro_environment: string;
  minutes: number;
  pm25_time_integrated_concentration: number | null;
  pm25_share: number | null;
  bc_share: number | null;
  day_measured_minutes: number | null;
  day_labelled_minutes: number | null;
  day_length_minutes: number | null;
}

/** PM2.5 and BC vary with the minute so that the shares are not trivial. */
async function insertMinutes(fromMs: number, count: number): Promise<void> {
  for (let minute = 0; minute < count; minute++) {
    await raw.query(
      `INSERT INTO sensor_measurements (participant_virtual_id, kit_id, time, pm1, pm25, pm10, no2, bc, temperature, humidity, activity)
       VALUES ($1, 11, $2, 6, $3, 18, 25, $4, 21, 45, 'Domicile')`,
      [participant, new Date(fromMs + minute * MINUTE), 8 + (minute % 7), 600 + 50 * (minute % 11)],
    );
  }
}

async function exposureOfDay(): Promise<ExposureRow[]> {
  const { rows } = await wh.query<ExposureRow>(
    `SELECT micro_environment, minutes, pm25_time_integrated_concentration, pm25_share, bc_share,
            day_measured_minutes, day_labelled_minutes, day_length_minutes
       FROM exposure_daily WHERE participant_virtual_id = $1 AND day = $2::date`,
    [participant, DAY],
  );
  return rows;
}

async function timelineOfDay(): Promise<ActivityTimelineRecord[]> {
  const { rows } = await wh.query(
    `SELECT participant_virtual_id, segment_start, segment_end, minutes, final_label, label_group, source, confidence, declared_label, match,
            episode_ids, needs_review, review_reason, review_wrong_probability, pm1_mean, pm25_mean, pm10_mean, no2_mean, bc_mean, temperature_mean, humidity_mean
       FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start >= $2 AND segment_start < $3 ORDER BY segment_start`,
    [participant, new Date(DAY_START_MS), new Date(DAY_END_MS)],
  );
  return rows.map((r) => ({ ...r, segment_start: r.segment_start.getTime(), segment_end: r.segment_end.getTime() }));
}

let reviewer: ReviewerLogin;

async function review(label: string): Promise<void> {
  const response = await fetch(`${postprocessingUrl}/reviews/${participant}/${LAST_SEGMENT.toISOString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: reviewer.authorization },
    body: JSON.stringify({ label }),
  });
  expect(response.status, await response.text()).toBe(202);
  await eventually(
    `the last segment reviewed as ${label}`,
    60_000,
    async () => (await wh.query('SELECT final_label, source FROM activity_timeline WHERE participant_virtual_id = $1 AND segment_start = $2', [participant, LAST_SEGMENT])).rows,
    (rows) => rows[0]?.final_label === label && rows[0]?.source === 'review',
  );
}

const minutesIn = (rows: readonly ExposureRow[], environment: string) => Number(rows.find((r) => r.micro_environment === environment)?.minutes ?? NaN);

beforeAll(async () => {
  reviewer = await createReviewer('late-review');
  await insertMinutes(EVENING_MS, 60);
  await insertMinutes(NEXT_NIGHT_MS, 20);
  // The next night's segments reach the timeline only once the stream's watermark passed them: from
  // then on its horizon is the 5th (the watermark minus an hour), so reviews of the 4th are late.
  await eventually(
    'both nights in activity_timeline',
    180_000,
    async () => Number((await wh.query('SELECT count(*) AS n FROM activity_timeline WHERE participant_virtual_id = $1', [participant])).rows[0]?.n),
    (n) => n === 16,
  );
  await eventually('the evening in exposure_daily', 60_000, exposureOfDay, (rows) => rows.length === CANONICAL_LABELS.length + 1);
});

afterAll(async () => {
  await Promise.all([raw.end(), wh.end()]);
});

describe('a late review and the daily exposure', () => {
  it('moves the day’s last segment out of a micro-environment without leaving a stale exposure_daily row', async () => {
    const before = await timelineOfDay();
    expect(before).toHaveLength(12);
    const present = new Set(before.map((e) => e.final_label));
    const [into, outOf] = CANONICAL_LABELS.filter((label) => !present.has(label));
    if (into === undefined || outOf === undefined) throw new Error(`the evening uses almost every label: ${[...present].join(', ')}`);
    const lastMinutes = before.at(-1)!.minutes;
    expect(lastMinutes).toBe(5);

    await review(into);
    const reviewedInto = await eventually('exposure with the reviewed segment', 60_000, exposureOfDay, (rows) => minutesIn(rows, into) === lastMinutes);
    expect(minutesIn(reviewedInto, into)).toBe(5);

    await review(outOf);
    // The stale row kept its 5 minutes for ever: this waits for 0, then says what it saw.
    const after = await eventually(
      `exposure_daily with ${into} back to 0 minutes`,
      60_000,
      exposureOfDay,
      (rows) => minutesIn(rows, outOf) === lastMinutes && minutesIn(rows, into) === 0,
    );
    expect(after.find((r) => r.micro_environment === into)).toMatchObject({ minutes: 0, pm25_time_integrated_concentration: 0, pm25_share: 0, bc_share: 0 });
  });

  it('has shares summing to 1 with the coverage beside them, equal to computeDailyExposure on the stored timeline', async () => {
    const rows = await exposureOfDay();
    expect(rows.map((r) => r.micro_environment).sort()).toEqual([...CANONICAL_LABELS, 'unknown'].sort());
    for (const share of ['pm25_share', 'bc_share'] as const) expect(rows.reduce((sum, r) => sum + (r[share] ?? 0), 0)).toBeCloseTo(1, 9);
    const unknownMinutes = minutesIn(rows, 'unknown');
    for (const row of rows) {
      expect({ measured: row.day_measured_minutes, labelled: row.day_labelled_minutes, length: row.day_length_minutes }).toEqual({
        measured: 60,
        labelled: 60 - unknownMinutes,
        length: 1440,
      });
    }
    const expected = computeDailyExposure(await timelineOfDay(), { timeZone: 'Europe/Paris' });
    const brief = (r: Pick<ExposureRow, 'micro_environment' | 'minutes' | 'pm25_share' | 'bc_share' | 'day_measured_minutes'>) =>
      [r.micro_environment, { minutes: r.minutes, pm25_share: r.pm25_share, bc_share: r.bc_share, measured: r.day_measured_minutes }] as const;
    expect(new Map(rows.map(brief))).toEqual(new Map(expected.map(brief)));
  });
});
