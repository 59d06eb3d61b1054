/**
 * Reads the warehouse for the console, as the researcher (read-only): the participants' days and
 * one participant-day. Every value is a `$n` parameter; the statements are constants.
 */
import pg from 'pg';
import type { ParticipantDayRow } from '../day/summarise-participants.js';
import type { DroppedFixesRow, ExposureRowInput, FixRow, SensorMinuteRow, StopRow, TimelineRow } from '../day/shape-participant-day.js';

// Counts as int (pg returns bigint as text) and days as text, so rows arrive ready to shape.
const PARTICIPANT_DAYS_SQL = `WITH minutes AS (
    SELECT participant_virtual_id AS participant, (time AT TIME ZONE $1::text)::date AS day,
      count(*)::int AS measured_minutes,
      count(*) FILTER (WHERE imputed_pm1 OR imputed_pm25 OR imputed_pm10 OR imputed_no2 OR imputed_bc OR imputed_temperature OR imputed_humidity)::int AS imputed_minutes,
      count(*) FILTER (WHERE coalesce(quality_flags, '') <> '')::int AS flagged_minutes
    FROM sensor_clean GROUP BY 1, 2
  ), segments AS (
    SELECT t.participant_virtual_id AS participant, (t.segment_start AT TIME ZONE $1::text)::date AS day,
      count(*)::int AS segments,
      count(*) FILTER (WHERE s.needs_review)::int AS needs_review_segments
    FROM activity_timeline t
    LEFT JOIN activity_segments s ON s.participant_virtual_id = t.participant_virtual_id AND s.segment_start = t.segment_start
    GROUP BY 1, 2
  ), fixes AS (
    SELECT participant_virtual_id AS participant, (time AT TIME ZONE $1::text)::date AS day, count(*)::int AS gps_fixes
    FROM gps_clean GROUP BY 1, 2
  )
  SELECT participant, to_char(day, 'YYYY-MM-DD') AS day, measured_minutes, imputed_minutes, flagged_minutes,
    segments, needs_review_segments, gps_fixes,
    (extract(epoch FROM ((day + 1)::timestamp AT TIME ZONE $1::text) - (day::timestamp AT TIME ZONE $1::text)) / 60)::double precision AS day_length_minutes
  FROM minutes FULL JOIN segments USING (participant, day) FULL JOIN fixes USING (participant, day)
  ORDER BY participant, day`;

const DAY_BOUNDS_SQL = `SELECT ($1::date::timestamp AT TIME ZONE $2::text) AS day_start,
  (($1::date + 1)::timestamp AT TIME ZONE $2::text) AS day_end`;

const SENSOR_MINUTES_SQL = `SELECT time, pm1, pm25, pm10, no2, bc, temperature, humidity,
    imputed_pm1, imputed_pm25, imputed_pm10, imputed_no2, imputed_bc, imputed_temperature, imputed_humidity, quality_flags
  FROM sensor_clean
  WHERE participant_virtual_id = $1 AND time >= $2 AND time < $3
  ORDER BY time`;

const TIMELINE_SQL = `SELECT segment_start, segment_end, minutes, final_label, source, confidence, predicted_label, declared_label, needs_review
  FROM participant_day_timeline
  WHERE participant_virtual_id = $1 AND segment_start >= $2 AND segment_start < $3
  ORDER BY segment_start`;

const FIXES_SQL = `SELECT time, lat, lon, col, episode_start, episode_type, transport_mode
  FROM gps_points_with_episode
  WHERE participant_virtual_id = $1 AND time >= $2 AND time < $3
  ORDER BY time`;

// The fixes the GPS cleaner dropped that day, by reason (the kept ones are FIXES_SQL's).
const DROPPED_SQL = `SELECT reason, count(*)::int AS fixes
  FROM gps_dropped
  WHERE participant_virtual_id = $1 AND time >= $2 AND time < $3
  GROUP BY reason
  ORDER BY reason`;

// Stops overlapping the day, also those that began the evening before.
const STOPS_SQL = `SELECT episode_start, episode_end, centroid_lat, centroid_lon, duration_s, radius_m
  FROM gps_episodes
  WHERE participant_virtual_id = $1 AND episode_type = 'stop' AND episode_start < $3 AND episode_end >= $2
  ORDER BY episode_start`;

// Every local day the participant has data on, for the day view's links to the others.
const DAYS_OF_PARTICIPANT_SQL = `SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM (
    SELECT (time AT TIME ZONE $2::text)::date AS day FROM sensor_clean WHERE participant_virtual_id = $1
    UNION SELECT (segment_start AT TIME ZONE $2::text)::date FROM activity_timeline WHERE participant_virtual_id = $1
    UNION SELECT (time AT TIME ZONE $2::text)::date FROM gps_clean WHERE participant_virtual_id = $1
  ) d ORDER BY 1`;

const EXPOSURE_SQL = `SELECT micro_environment, minutes, pm1_mean, pm25_mean, pm10_mean, no2_mean, bc_mean,
    pm1_share, pm25_share, pm10_share, no2_share, bc_share, day_measured_minutes, day_labelled_minutes, day_length_minutes
  FROM exposure_daily
  WHERE participant_virtual_id = $1 AND day = $2::date
  ORDER BY micro_environment`;

/** The rows of one participant-day, before shaping. */
export interface ParticipantDayRows {
  readonly dayStart: Date;
  readonly dayEnd: Date;
  readonly minutes: SensorMinuteRow[];
  readonly timeline: TimelineRow[];
  readonly fixes: FixRow[];
  /** The day's dropped fixes by reason; absent when not read (a test's warehouse). */
  readonly dropped?: DroppedFixesRow[];
  readonly stops: StopRow[];
  readonly exposure: ExposureRowInput[];
  /** The participant's days with data (YYYY-MM-DD, in order), this one included. */
  readonly days: string[];
}

/** What the routes and the report need from the warehouse; tests give their own. */
export interface ConsoleWarehouse {
  participantDays(): Promise<ParticipantDayRow[]>;
  participantDay(participant: string, day: string): Promise<ParticipantDayRows>;
  close(): Promise<void>;
}

export class WarehouseReader implements ConsoleWarehouse {
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly timeZone: string,
  ) {
    // The researcher's sessions are read-only already; the option says so for any other login.
    this.pool = new pg.Pool({ connectionString, max: 4, options: '-c default_transaction_read_only=on' });
  }

  async participantDays(): Promise<ParticipantDayRow[]> {
    const { rows } = await this.pool.query<ParticipantDayRow>(PARTICIPANT_DAYS_SQL, [this.timeZone]);
    return rows;
  }

  async participantDay(participant: string, day: string): Promise<ParticipantDayRows> {
    const bounds = await this.pool.query<{ day_start: Date; day_end: Date }>(DAY_BOUNDS_SQL, [day, this.timeZone]);
    const { day_start: dayStart, day_end: dayEnd } = bounds.rows[0]!;
    const window = [participant, dayStart, dayEnd];
    const [minutes, timeline, fixes, dropped, stops, exposure, days] = await Promise.all([
      this.pool.query<SensorMinuteRow>(SENSOR_MINUTES_SQL, window),
      this.pool.query<TimelineRow>(TIMELINE_SQL, window),
      this.pool.query<FixRow>(FIXES_SQL, window),
      this.pool.query<DroppedFixesRow>(DROPPED_SQL, window),
      this.pool.query<StopRow>(STOPS_SQL, window),
      this.pool.query<ExposureRowInput>(EXPOSURE_SQL, [participant, day]),
      this.pool.query<{ day: string }>(DAYS_OF_PARTICIPANT_SQL, [participant, this.timeZone]),
    ]);
    return {
      dayStart,
      dayEnd,
      minutes: minutes.rows,
      timeline: timeline.rows,
      fixes: fixes.rows,
      dropped: dropped.rows,
      stops: stops.rows,
      exposure: exposure.rows,
      days: days.rows.map((r) => r.day),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
