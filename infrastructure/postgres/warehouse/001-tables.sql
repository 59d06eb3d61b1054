-- Warehouse tables (docs/design.md §3.3): one per topic, typed, primary keys on natural keys so that
-- every sink write is an idempotent upsert. Columns follow schemas/<topic>.avsc field by field.

-- A cleaned sensor minute (docs/design.md §5.1).
CREATE TABLE IF NOT EXISTS sensor_clean (
  participant_virtual_id text NOT NULL,
  time timestamptz NOT NULL,
  kit_id integer,
  pm1 double precision,
  pm25 double precision,
  pm10 double precision,
  no2 double precision,
  bc double precision,
  temperature double precision,
  humidity double precision,
  imputed_pm1 boolean NOT NULL,
  imputed_pm25 boolean NOT NULL,
  imputed_pm10 boolean NOT NULL,
  imputed_no2 boolean NOT NULL,
  imputed_bc boolean NOT NULL,
  imputed_temperature boolean NOT NULL,
  imputed_humidity boolean NOT NULL,
  quality_flags text,
  activity text,
  event text,
  PRIMARY KEY (participant_virtual_id, time)
);

COMMENT ON COLUMN sensor_clean.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN sensor_clean.time IS 'Minute of the measurement, UTC.';
COMMENT ON COLUMN sensor_clean.kit_id IS 'Sensor kit id.';
COMMENT ON COLUMN sensor_clean.pm1 IS 'PM1, µg/m³ after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.pm25 IS 'PM2.5, µg/m³ after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.pm10 IS 'PM10, µg/m³ after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.no2 IS 'NO2, ppb after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.bc IS 'Black carbon, ng/m³ after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.temperature IS 'Temperature, °C after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.humidity IS 'Relative humidity, % after cleaning; null when missing or removed';
COMMENT ON COLUMN sensor_clean.imputed_pm1 IS 'True when pm1 was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_pm25 IS 'True when pm25 was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_pm10 IS 'True when pm10 was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_no2 IS 'True when no2 was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_bc IS 'True when bc was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_temperature IS 'True when temperature was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.imputed_humidity IS 'True when humidity was filled by the centred 8-minute mean.';
COMMENT ON COLUMN sensor_clean.quality_flags IS 'Flags joined by ;, variable:flag. Removed: range (outside the instrument), warmup (NO2), spike (one-channel glitch); kept: high (PM > 300 µg/m³, BC > 50,000 ng/m³), clipped (humidity 100–105 % set to 100).';
COMMENT ON COLUMN sensor_clean.activity IS 'Declared activity, as entered.';
COMMENT ON COLUMN sensor_clean.event IS 'Point event.';

-- A 5-minute segment classified from the sensors and validated against the declaration (docs/design.md §5.2).
CREATE TABLE IF NOT EXISTS activity_segments (
  participant_virtual_id text NOT NULL,
  segment_start timestamptz NOT NULL,
  segment_end timestamptz NOT NULL,
  minutes integer NOT NULL,
  predicted_label text,
  predicted_group text,
  confidence double precision,
  probabilities jsonb,
  views text,
  rule_applied text,
  declared_label text,
  declared_group text,
  match boolean,
  needs_review boolean NOT NULL,
  review_reason text,
  model_version text,
  pm1_mean double precision,
  pm25_mean double precision,
  pm10_mean double precision,
  no2_mean double precision,
  bc_mean double precision,
  temperature_mean double precision,
  humidity_mean double precision,
  PRIMARY KEY (participant_virtual_id, segment_start)
);

COMMENT ON COLUMN activity_segments.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN activity_segments.segment_start IS 'Start of the 5-minute segment, UTC, aligned on 5 minutes.';
COMMENT ON COLUMN activity_segments.segment_end IS 'End (exclusive), UTC.';
COMMENT ON COLUMN activity_segments.minutes IS 'Cleaned sensor minutes in the segment.';
COMMENT ON COLUMN activity_segments.predicted_label IS 'Canonical micro-environment predicted (null when no view was present).';
COMMENT ON COLUMN activity_segments.predicted_group IS 'indoor, outdoor or transport.';
COMMENT ON COLUMN activity_segments.confidence IS 'Probability of the predicted label, 0..1.';
COMMENT ON COLUMN activity_segments.probabilities IS 'Per-label probabilities, JSON object.';
COMMENT ON COLUMN activity_segments.views IS 'Views present, comma-separated.';
COMMENT ON COLUMN activity_segments.rule_applied IS 'Time-of-day rule that changed the label, if any.';
COMMENT ON COLUMN activity_segments.declared_label IS 'Majority canonical label declared over the segment''s minutes.';
COMMENT ON COLUMN activity_segments.declared_group IS 'Group of the declared label.';
COMMENT ON COLUMN activity_segments.match IS 'Declared equals predicted; null when nothing was declared.';
-- Warehouses created before segments carried their review reason.
ALTER TABLE activity_segments ADD COLUMN IF NOT EXISTS review_reason text;

COMMENT ON COLUMN activity_segments.needs_review IS 'A review candidate on the sensor evidence alone, before the participant-day''s budget; the flag reviewers see is activity_timeline.needs_review.';
COMMENT ON COLUMN activity_segments.review_reason IS 'Why it is a candidate: low_confidence_no_gps or contradicts_declaration; null when it is none.';
COMMENT ON COLUMN activity_segments.model_version IS 'Version of the activity model used.';
COMMENT ON COLUMN activity_segments.pm1_mean IS 'PM1, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_segments.pm25_mean IS 'PM2.5, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_segments.pm10_mean IS 'PM10, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_segments.no2_mean IS 'NO2, ppb, mean over the segment';
COMMENT ON COLUMN activity_segments.bc_mean IS 'Black carbon, ng/m³, mean over the segment';
COMMENT ON COLUMN activity_segments.temperature_mean IS 'Temperature, °C, mean over the segment';
COMMENT ON COLUMN activity_segments.humidity_mean IS 'Relative humidity, %, mean over the segment';

-- A cleaned, rasterised and Hilbert-indexed GPS point (docs/design.md §5.3).
CREATE TABLE IF NOT EXISTS gps_clean (
  participant_virtual_id text NOT NULL,
  time timestamptz NOT NULL,
  tablet_id integer,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  col integer,
  row integer,
  hilbert bigint,
  speed_mps double precision,
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
  PRIMARY KEY (participant_virtual_id, time)
);

COMMENT ON COLUMN gps_clean.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN gps_clean.time IS 'Fix time, UTC.';
COMMENT ON COLUMN gps_clean.tablet_id IS 'Tablet id.';
COMMENT ON COLUMN gps_clean.lat IS 'Latitude, degrees WGS84.';
COMMENT ON COLUMN gps_clean.lon IS 'Longitude, degrees WGS84.';
COMMENT ON COLUMN gps_clean.col IS 'Grid column 0..3599; null outside the grid.';
COMMENT ON COLUMN gps_clean.row IS 'Grid row 0..3599; null outside the grid.';
COMMENT ON COLUMN gps_clean.hilbert IS 'Hilbert index of (col, row) on the 4096 curve; null outside.';
COMMENT ON COLUMN gps_clean.speed_mps IS 'Speed from the previous kept point, m/s.';

-- A stop or a move of a participant (docs/design.md §5.4). Keyed by its start: a growing stop is re-emitted with the same start.
CREATE TABLE IF NOT EXISTS gps_episodes (
  participant_virtual_id text NOT NULL,
  episode_start timestamptz NOT NULL,
  episode_end timestamptz NOT NULL,
  episode_type text NOT NULL,
  detector text NOT NULL,
  point_count integer NOT NULL,
  duration_s double precision NOT NULL,
  centroid_lat double precision,
  centroid_lon double precision,
  radius_m double precision,
  hilbert bigint,
  distance_m double precision,
  speed_mean_mps double precision,
  speed_p50_mps double precision,
  speed_p95_mps double precision,
  speed_max_mps double precision,
  transport_mode text,
  transport_probability double precision,
  gap boolean NOT NULL DEFAULT false,
  leg_index integer,
  centroid geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(centroid_lon, centroid_lat), 4326)) STORED,
  PRIMARY KEY (participant_virtual_id, episode_start)
);

COMMENT ON COLUMN gps_episodes.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN gps_episodes.episode_start IS 'First point of the episode, UTC.';
COMMENT ON COLUMN gps_episodes.episode_end IS 'Last point of the episode, UTC.';
COMMENT ON COLUMN gps_episodes.episode_type IS 'stop or move.';
COMMENT ON COLUMN gps_episodes.detector IS 'stay-point or hilbert-density.';
COMMENT ON COLUMN gps_episodes.point_count IS 'Points in the episode.';
COMMENT ON COLUMN gps_episodes.duration_s IS 'Duration, seconds.';
COMMENT ON COLUMN gps_episodes.centroid_lat IS 'Stop centroid latitude.';
COMMENT ON COLUMN gps_episodes.centroid_lon IS 'Stop centroid longitude.';
COMMENT ON COLUMN gps_episodes.radius_m IS 'Stop radius: largest distance from the centroid to the stop''s farthest point in one of 36 directions (at least 99.6 % of the largest distance to any point), metres.';
COMMENT ON COLUMN gps_episodes.hilbert IS 'Stop centroid''s Hilbert cell.';
COMMENT ON COLUMN gps_episodes.distance_m IS 'Move length, metres.';
COMMENT ON COLUMN gps_episodes.speed_mean_mps IS 'Mean speed, m/s.';
COMMENT ON COLUMN gps_episodes.speed_p50_mps IS 'Median speed, m/s.';
COMMENT ON COLUMN gps_episodes.speed_p95_mps IS '95th percentile speed, m/s.';
COMMENT ON COLUMN gps_episodes.speed_max_mps IS 'Maximum speed, m/s.';
COMMENT ON COLUMN gps_episodes.transport_mode IS 'Predicted transport mode of a move.';
COMMENT ON COLUMN gps_episodes.transport_probability IS 'Probability of the transport mode, 0..1.';
-- Added with stops spanning signal loss and moves split into legs (docs/design.md §5.4): warehouses
-- created before get the columns here.
ALTER TABLE gps_episodes ADD COLUMN IF NOT EXISTS gap boolean NOT NULL DEFAULT false;
ALTER TABLE gps_episodes ADD COLUMN IF NOT EXISTS leg_index integer;
COMMENT ON COLUMN gps_episodes.gap IS 'True when the episode spans a time without fix longer than maxGapS (a stop at one place through a signal loss; a move across an underground ride).';
COMMENT ON COLUMN gps_episodes.leg_index IS 'Moves: position of the leg in its move, from 1; consecutive legs share their boundary point (one ends where the next starts). Null for stops.';

-- A 5-minute segment of the fused timeline (docs/design.md §5.5).
CREATE TABLE IF NOT EXISTS activity_timeline (
  participant_virtual_id text NOT NULL,
  segment_start timestamptz NOT NULL,
  segment_end timestamptz NOT NULL,
  minutes integer,
  final_label text,
  label_group text,
  source text NOT NULL,
  confidence double precision,
  declared_label text,
  match boolean,
  episode_ids text,
  pm1_mean double precision,
  pm25_mean double precision,
  pm10_mean double precision,
  no2_mean double precision,
  bc_mean double precision,
  temperature_mean double precision,
  humidity_mean double precision,
  needs_review boolean NOT NULL DEFAULT false,
  review_reason text,
  review_wrong_probability double precision,
  PRIMARY KEY (participant_virtual_id, segment_start)
);

-- Warehouses created before the timeline carried measured minutes, then its review flag.
ALTER TABLE activity_timeline ADD COLUMN IF NOT EXISTS minutes integer;
ALTER TABLE activity_timeline
  ADD COLUMN IF NOT EXISTS needs_review boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS review_reason text,
  ADD COLUMN IF NOT EXISTS review_wrong_probability double precision;

COMMENT ON COLUMN activity_timeline.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN activity_timeline.segment_start IS 'Start of the segment, UTC.';
COMMENT ON COLUMN activity_timeline.segment_end IS 'End (exclusive), UTC.';
COMMENT ON COLUMN activity_timeline.minutes IS 'Sensor minutes measured in the segment (0..5), the weight of its means in exposure; null on rows written before the column existed.';
COMMENT ON COLUMN activity_timeline.final_label IS 'Canonical micro-environment after fusion.';
COMMENT ON COLUMN activity_timeline.label_group IS 'indoor, outdoor or transport.';
COMMENT ON COLUMN activity_timeline.source IS 'gps, stop, sensors or review.';
COMMENT ON COLUMN activity_timeline.confidence IS 'Confidence of the final label, 0..1.';
COMMENT ON COLUMN activity_timeline.declared_label IS 'Declared canonical label.';
COMMENT ON COLUMN activity_timeline.match IS 'Declared equals final.';
COMMENT ON COLUMN activity_timeline.episode_ids IS 'Start times (ISO-8601) of the GPS episodes the segment overlaps, comma-separated.';
COMMENT ON COLUMN activity_timeline.needs_review IS 'Flagged for human review (docs/design.md §5.2): among the candidates of its participant-day (local, TIME_ZONE) whose label fusion gives before any review is at least REVIEW_MIN_WRONG_PROBABILITY (0.5) likely wrong, the likeliest, at most floor(REVIEW_BUDGET (0.05) × the day''s segments): none on a day of fewer than 20 segments. See docs/warehouse.md.';
COMMENT ON COLUMN activity_timeline.review_reason IS 'Why it is flagged: low_confidence_no_gps (label from the sensors alone below REVIEW_MIN_CONFIDENCE, 0.6) or contradicts_declaration (the declaration is in another group: indoor, outdoor, transport); null when not flagged.';
COMMENT ON COLUMN activity_timeline.review_wrong_probability IS 'Probability that the label fusion gives before any review is wrong, 0..1 (its confidence, and the declaration taken as REVIEW_DECLARATION_RELIABILITY, 0.9, reliable); flags are ranked by it. Null without a label.';
COMMENT ON COLUMN activity_timeline.pm1_mean IS 'PM1, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_timeline.pm25_mean IS 'PM2.5, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_timeline.pm10_mean IS 'PM10, µg/m³, mean over the segment';
COMMENT ON COLUMN activity_timeline.no2_mean IS 'NO2, ppb, mean over the segment';
COMMENT ON COLUMN activity_timeline.bc_mean IS 'Black carbon, ng/m³, mean over the segment';
COMMENT ON COLUMN activity_timeline.temperature_mean IS 'Temperature, °C, mean over the segment';
COMMENT ON COLUMN activity_timeline.humidity_mean IS 'Relative humidity, %, mean over the segment';

-- A participant's exposure on a local day in one micro-environment, with the day's coverage (docs/design.md §5.5).
CREATE TABLE IF NOT EXISTS exposure_daily (
  participant_virtual_id text NOT NULL,
  day date NOT NULL,
  micro_environment text NOT NULL,
  minutes double precision NOT NULL,
  pm1_mean double precision,
  pm25_mean double precision,
  pm10_mean double precision,
  no2_mean double precision,
  bc_mean double precision,
  temperature_mean double precision,
  humidity_mean double precision,
  pm1_time_integrated_concentration double precision,
  pm25_time_integrated_concentration double precision,
  pm10_time_integrated_concentration double precision,
  no2_time_integrated_concentration double precision,
  bc_time_integrated_concentration double precision,
  pm1_share double precision,
  pm25_share double precision,
  pm10_share double precision,
  no2_share double precision,
  bc_share double precision,
  day_measured_minutes double precision,
  day_labelled_minutes double precision,
  day_length_minutes double precision,
  PRIMARY KEY (participant_virtual_id, day, micro_environment)
);

-- Warehouses created before the time-integrated concentrations and the coverage: *_dose was the same
-- quantity under a misleading name (renamed, values kept); temperature and humidity have no meaningful
-- integral or share (dropped). Rows left from then have a null day_measured_minutes.
DO $$
DECLARE
  pollutant text;
BEGIN
  FOREACH pollutant IN ARRAY ARRAY['pm1', 'pm25', 'pm10', 'no2', 'bc'] LOOP
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'exposure_daily' AND column_name = pollutant || '_dose') THEN
      EXECUTE format('ALTER TABLE exposure_daily RENAME COLUMN %I TO %I', pollutant || '_dose', pollutant || '_time_integrated_concentration');
    END IF;
  END LOOP;
END
$$;
ALTER TABLE exposure_daily
  DROP COLUMN IF EXISTS temperature_dose,
  DROP COLUMN IF EXISTS humidity_dose,
  DROP COLUMN IF EXISTS temperature_share,
  DROP COLUMN IF EXISTS humidity_share,
  ADD COLUMN IF NOT EXISTS day_measured_minutes double precision,
  ADD COLUMN IF NOT EXISTS day_labelled_minutes double precision,
  ADD COLUMN IF NOT EXISTS day_length_minutes double precision;

COMMENT ON COLUMN exposure_daily.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN exposure_daily.day IS 'Local day of the participant (Europe/Paris by default).';
COMMENT ON COLUMN exposure_daily.micro_environment IS 'Canonical label, or unknown for measured minutes without a final label.';
COMMENT ON COLUMN exposure_daily.minutes IS 'Measured sensor minutes spent there that day; 0 for a micro-environment not visited (every one has a row per participant-day).';
COMMENT ON COLUMN exposure_daily.pm1_mean IS 'PM1, µg/m³, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.pm25_mean IS 'PM2.5, µg/m³, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.pm10_mean IS 'PM10, µg/m³, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.no2_mean IS 'NO2, ppb, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.bc_mean IS 'Black carbon, ng/m³, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.temperature_mean IS 'Temperature, °C, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.humidity_mean IS 'Relative humidity, %, time-weighted mean over the measured minutes with a value; null without one.';
COMMENT ON COLUMN exposure_daily.pm1_time_integrated_concentration IS 'PM1, µg/m³ × minutes: Σ segment mean × measured minutes, a time-integrated concentration (not an inhaled dose); 0 where not visited, null where visited without a value.';
COMMENT ON COLUMN exposure_daily.pm25_time_integrated_concentration IS 'PM2.5, µg/m³ × minutes: Σ segment mean × measured minutes, a time-integrated concentration (not an inhaled dose); 0 where not visited, null where visited without a value.';
COMMENT ON COLUMN exposure_daily.pm10_time_integrated_concentration IS 'PM10, µg/m³ × minutes: Σ segment mean × measured minutes, a time-integrated concentration (not an inhaled dose); 0 where not visited, null where visited without a value.';
COMMENT ON COLUMN exposure_daily.no2_time_integrated_concentration IS 'NO2, ppb × minutes: Σ segment mean × measured minutes, a time-integrated concentration (not an inhaled dose); 0 where not visited, null where visited without a value.';
COMMENT ON COLUMN exposure_daily.bc_time_integrated_concentration IS 'Black carbon, ng/m³ × minutes: Σ segment mean × measured minutes, a time-integrated concentration (not an inhaled dose); 0 where not visited, null where visited without a value.';
COMMENT ON COLUMN exposure_daily.pm1_share IS 'Share of the day''s PM1 time-integrated concentration over every micro-environment and unknown, 0..1; a day''s shares sum to 1; null when the day''s total is 0 or the value here unknown.';
COMMENT ON COLUMN exposure_daily.pm25_share IS 'Share of the day''s PM2.5 time-integrated concentration over every micro-environment and unknown, 0..1; a day''s shares sum to 1; null when the day''s total is 0 or the value here unknown.';
COMMENT ON COLUMN exposure_daily.pm10_share IS 'Share of the day''s PM10 time-integrated concentration over every micro-environment and unknown, 0..1; a day''s shares sum to 1; null when the day''s total is 0 or the value here unknown.';
COMMENT ON COLUMN exposure_daily.no2_share IS 'Share of the day''s NO2 time-integrated concentration over every micro-environment and unknown, 0..1; a day''s shares sum to 1; null when the day''s total is 0 or the value here unknown.';
COMMENT ON COLUMN exposure_daily.bc_share IS 'Share of the day''s Black carbon time-integrated concentration over every micro-environment and unknown, 0..1; a day''s shares sum to 1; null when the day''s total is 0 or the value here unknown.';
COMMENT ON COLUMN exposure_daily.day_measured_minutes IS 'Coverage: sensor minutes measured that day, every micro-environment and unknown included; null on rows computed before coverage existed.';
COMMENT ON COLUMN exposure_daily.day_labelled_minutes IS 'Coverage: measured minutes of the day with a final label (day_measured_minutes minus the unknown minutes).';
COMMENT ON COLUMN exposure_daily.day_length_minutes IS 'Length of the local day, minutes: 1440, or 1380 and 1500 on daylight-saving change days.';

-- Human decisions on segments that needed review (docs/design.md §5.6), every one kept: a
-- segment's current decision is its latest (view review_decisions_latest). A warehouse created
-- before the history had the key (participant_virtual_id, segment_start): 007-review-history.sql
-- moves it.
CREATE TABLE IF NOT EXISTS review_decisions (
  participant_virtual_id text NOT NULL,
  segment_start timestamptz NOT NULL,
  label text NOT NULL,
  reviewer text,
  comment text,
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (participant_virtual_id, segment_start, decided_at)
);

COMMENT ON COLUMN review_decisions.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN review_decisions.segment_start IS 'Start of the reviewed segment, UTC.';
COMMENT ON COLUMN review_decisions.label IS 'Canonical label chosen by the reviewer.';
COMMENT ON COLUMN review_decisions.reviewer IS 'Who decided.';
COMMENT ON COLUMN review_decisions.comment IS 'Free text.';
COMMENT ON COLUMN review_decisions.decided_at IS 'When the decision was made, UTC; part of the key, so each decision is a row of the history.';

-- Reviewer accounts (docs/design.md §5.6): only an authenticated reviewer decides, and the decision
-- records the account. Created by `polluscope reviewers add`; the review API checks HTTP Basic
-- credentials against password_hash. Not readable by researchers (004-roles.sql).
CREATE TABLE IF NOT EXISTS reviewers (
  name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE reviewers IS 'Accounts allowed to decide reviews (POST /reviews); the review_decisions.reviewer of a decision is one of these names.';
COMMENT ON COLUMN reviewers.name IS 'Login name, recorded as the reviewer of each decision.';
COMMENT ON COLUMN reviewers.password_hash IS 'Argon2id hash in PHC format (salt and parameters included); never the password.';
COMMENT ON COLUMN reviewers.created_at IS 'When the account was created.';
