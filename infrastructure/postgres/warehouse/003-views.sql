-- Views for the questions researchers ask (docs/design.md §3.3, docs/warehouse.md). Idempotent: applied on
-- every `polluscope infra up`. Local days and times are in Europe/Paris, the participants' time
-- zone and the one exposure_daily uses by default. Minutes are double precision.

-- NO2 is stored in ppb everywhere (docs/design.md §5.1); views add µg/m³ at 1.88 µg/m³ per ppb
-- (NO2 at 25 °C and 1013 hPa: 46.01 g/mol / 24.45 L/mol). The factor lives here only.
CREATE OR REPLACE FUNCTION no2_ppb_to_ugm3(ppb double precision) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT ppb * 1.88';
COMMENT ON FUNCTION no2_ppb_to_ugm3(double precision) IS 'NO2 ppb → µg/m³ at 1.88 µg/m³ per ppb (25 °C, 1013 hPa).';

-- Every measurement is double precision, and PostgreSQL rounds to n digits only a numeric:
-- without this, round(pm25_mean, 2) fails with "function round(double precision, integer) does
-- not exist". An exact match for double precision, so numeric arguments keep the built-in one.
CREATE OR REPLACE FUNCTION round(value double precision, digits integer) RETURNS numeric
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT pg_catalog.round(value::numeric, digits)';
COMMENT ON FUNCTION round(double precision, integer) IS 'round(x, n) for double precision x: x as numeric rounded to n digits (the built-in round takes numeric only).';

-- The cleaned minutes with NO2 in µg/m³ beside ppb.
CREATE OR REPLACE VIEW sensor_clean_ugm3 AS
SELECT c.*, no2_ppb_to_ugm3(c.no2) AS no2_ugm3
FROM sensor_clean c;

COMMENT ON VIEW sensor_clean_ugm3 IS 'sensor_clean with NO2 also in µg/m³ (no2_ugm3 = no2 ppb × 1.88).';
COMMENT ON COLUMN sensor_clean_ugm3.no2_ugm3 IS 'NO2, µg/m³ (no2 ppb × 1.88); null when no2 is null.';

-- A participant's day: the fused timeline with concentrations, the sensor prediction beside it.
CREATE OR REPLACE VIEW participant_day_timeline AS
SELECT
  t.participant_virtual_id,
  (t.segment_start AT TIME ZONE 'Europe/Paris')::date AS day,
  t.segment_start,
  t.segment_end,
  (t.segment_start AT TIME ZONE 'Europe/Paris') AS local_start,
  COALESCE(t.minutes, s.minutes, extract(epoch FROM t.segment_end - t.segment_start) / 60)::double precision AS minutes,
  t.final_label,
  t.label_group,
  t.source,
  t.confidence,
  s.predicted_label,
  s.confidence AS predicted_confidence,
  t.declared_label,
  t.match,
  t.needs_review,
  t.episode_ids,
  t.pm1_mean,
  t.pm25_mean,
  t.pm10_mean,
  t.no2_mean,
  t.bc_mean,
  t.temperature_mean,
  t.humidity_mean,
  no2_ppb_to_ugm3(t.no2_mean) AS no2_mean_ugm3,
  t.review_reason
FROM activity_timeline t
LEFT JOIN activity_segments s
  ON s.participant_virtual_id = t.participant_virtual_id AND s.segment_start = t.segment_start;

COMMENT ON VIEW participant_day_timeline IS 'A participant''s day, 5 minutes per row: the fused micro-environment (activity_timeline) with its concentrations, beside the sensor prediction (activity_segments). Filter on participant_virtual_id and day.';
COMMENT ON COLUMN participant_day_timeline.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN participant_day_timeline.day IS 'Local day (Europe/Paris) of segment_start.';
COMMENT ON COLUMN participant_day_timeline.segment_start IS 'Start of the segment, timestamptz.';
COMMENT ON COLUMN participant_day_timeline.segment_end IS 'End (exclusive), timestamptz.';
COMMENT ON COLUMN participant_day_timeline.local_start IS 'segment_start as a Europe/Paris wall-clock time (timestamp without time zone).';
COMMENT ON COLUMN participant_day_timeline.minutes IS 'Sensor minutes measured in the segment (0..5; the segment''s own count for timeline rows written before activity_timeline.minutes existed).';
COMMENT ON COLUMN participant_day_timeline.final_label IS 'Canonical micro-environment after fusion; null when unknown.';
COMMENT ON COLUMN participant_day_timeline.label_group IS 'indoor, outdoor or transport.';
COMMENT ON COLUMN participant_day_timeline.source IS 'Why final_label: gps (a confident move), stop (majority over the stop), sensors, or review.';
COMMENT ON COLUMN participant_day_timeline.confidence IS 'Confidence of final_label, 0..1.';
COMMENT ON COLUMN participant_day_timeline.predicted_label IS 'Label predicted from the sensors alone (activity_segments).';
COMMENT ON COLUMN participant_day_timeline.predicted_confidence IS 'Probability of predicted_label, 0..1.';
COMMENT ON COLUMN participant_day_timeline.declared_label IS 'Canonical label the volunteer declared.';
COMMENT ON COLUMN participant_day_timeline.match IS 'declared_label = final_label; null without a declaration.';
COMMENT ON COLUMN participant_day_timeline.needs_review IS 'Flagged for human review within the participant-day''s budget (activity_timeline.needs_review).';
COMMENT ON COLUMN participant_day_timeline.review_reason IS 'Why it is flagged: low_confidence_no_gps or contradicts_declaration; null when not flagged.';
COMMENT ON COLUMN participant_day_timeline.episode_ids IS 'ISO-8601 starts of the GPS episodes the segment overlaps, comma-separated (gps_episodes.episode_start).';
COMMENT ON COLUMN participant_day_timeline.pm1_mean IS 'PM1, µg/m³, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.pm25_mean IS 'PM2.5, µg/m³, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.pm10_mean IS 'PM10, µg/m³, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.no2_mean IS 'NO2, ppb, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.bc_mean IS 'Black carbon, ng/m³, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.temperature_mean IS 'Temperature, °C, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.humidity_mean IS 'Relative humidity, %, mean over the segment.';
COMMENT ON COLUMN participant_day_timeline.no2_mean_ugm3 IS 'NO2, µg/m³ (no2_mean ppb × 1.88), mean over the segment.';

-- Exposure by micro-environment across participants.
CREATE OR REPLACE VIEW exposure_by_micro_environment AS
WITH timeline AS (
  SELECT
    t.final_label AS micro_environment,
    t.label_group,
    t.participant_virtual_id,
    COALESCE(t.minutes, s.minutes, extract(epoch FROM t.segment_end - t.segment_start) / 60)::double precision AS minutes,
    t.pm1_mean, t.pm25_mean, t.pm10_mean, t.no2_mean, t.bc_mean, t.temperature_mean, t.humidity_mean
  FROM activity_timeline t
  LEFT JOIN activity_segments s
    ON s.participant_virtual_id = t.participant_virtual_id AND s.segment_start = t.segment_start
  WHERE t.final_label IS NOT NULL
), by_environment AS (
  SELECT
    micro_environment,
    min(label_group) AS label_group,
    count(DISTINCT participant_virtual_id) AS participants,
    sum(minutes) AS minutes,
    sum(pm1_mean * minutes) / nullif(sum(minutes) FILTER (WHERE pm1_mean IS NOT NULL), 0) AS pm1_mean,
    sum(pm25_mean * minutes) / nullif(sum(minutes) FILTER (WHERE pm25_mean IS NOT NULL), 0) AS pm25_mean,
    sum(pm10_mean * minutes) / nullif(sum(minutes) FILTER (WHERE pm10_mean IS NOT NULL), 0) AS pm10_mean,
    sum(no2_mean * minutes) / nullif(sum(minutes) FILTER (WHERE no2_mean IS NOT NULL), 0) AS no2_mean,
    sum(bc_mean * minutes) / nullif(sum(minutes) FILTER (WHERE bc_mean IS NOT NULL), 0) AS bc_mean,
    sum(temperature_mean * minutes) / nullif(sum(minutes) FILTER (WHERE temperature_mean IS NOT NULL), 0) AS temperature_mean,
    sum(humidity_mean * minutes) / nullif(sum(minutes) FILTER (WHERE humidity_mean IS NOT NULL), 0) AS humidity_mean
  FROM timeline
  GROUP BY micro_environment
), shares AS (
  SELECT
    micro_environment,
    count(*) AS participant_days,
    avg(pm25_share) AS pm25_share_mean,
    avg(no2_share) AS no2_share_mean,
    avg(bc_share) AS bc_share_mean
  FROM exposure_daily
  WHERE minutes > 0
  GROUP BY micro_environment
)
SELECT
  b.micro_environment,
  b.label_group,
  b.participants,
  s.participant_days,
  b.minutes,
  b.pm1_mean,
  b.pm25_mean,
  b.pm10_mean,
  b.no2_mean,
  b.bc_mean,
  b.temperature_mean,
  b.humidity_mean,
  s.pm25_share_mean,
  s.no2_share_mean,
  s.bc_share_mean,
  no2_ppb_to_ugm3(b.no2_mean) AS no2_mean_ugm3
FROM by_environment b
LEFT JOIN shares s ON s.micro_environment = b.micro_environment;

COMMENT ON VIEW exposure_by_micro_environment IS 'One row per micro-environment over all participants: measured time spent, time-weighted mean concentrations (from activity_timeline, each segment mean weighted by its measured minutes), and the mean over participant-days spent there of that environment''s share of the day''s time-integrated concentration (from exposure_daily).';
COMMENT ON COLUMN exposure_by_micro_environment.micro_environment IS 'Canonical label (activity_timeline.final_label).';
COMMENT ON COLUMN exposure_by_micro_environment.label_group IS 'indoor, outdoor or transport.';
COMMENT ON COLUMN exposure_by_micro_environment.participants IS 'Participants who spent time there.';
COMMENT ON COLUMN exposure_by_micro_environment.participant_days IS 'Rows of exposure_daily with minutes > 0 for it: (participant, local day) pairs.';
COMMENT ON COLUMN exposure_by_micro_environment.minutes IS 'Total measured minutes spent there, all participants.';
COMMENT ON COLUMN exposure_by_micro_environment.pm1_mean IS 'PM1, µg/m³, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.pm25_mean IS 'PM2.5, µg/m³, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.pm10_mean IS 'PM10, µg/m³, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.no2_mean IS 'NO2, ppb, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.bc_mean IS 'Black carbon, ng/m³, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.temperature_mean IS 'Temperature, °C, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.humidity_mean IS 'Relative humidity, %, time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.pm25_share_mean IS 'Mean over its participant-days of its share of the day''s PM2.5 time-integrated concentration, 0..1.';
COMMENT ON COLUMN exposure_by_micro_environment.no2_share_mean IS 'Mean over its participant-days of its share of the day''s NO2 time-integrated concentration, 0..1.';
COMMENT ON COLUMN exposure_by_micro_environment.no2_mean_ugm3 IS 'NO2, µg/m³ (no2_mean ppb × 1.88), time-weighted mean over the minutes with a value.';
COMMENT ON COLUMN exposure_by_micro_environment.bc_share_mean IS 'Mean over its participant-days of its share of the day''s black-carbon time-integrated concentration, 0..1.';

-- Classification accuracy by participant.
CREATE OR REPLACE VIEW classification_accuracy_by_participant AS
WITH sensors AS (
  SELECT
    participant_virtual_id,
    count(*) AS segments,
    count(*) FILTER (WHERE predicted_label IS NOT NULL) AS classified_segments,
    count(*) FILTER (WHERE declared_label IS NOT NULL) AS declared_segments,
    count(*) FILTER (WHERE declared_label IS NOT NULL AND match) AS matching_segments,
    count(*) FILTER (WHERE declared_group IS NOT NULL AND declared_group = predicted_group) AS matching_group_segments,
    min(segment_start) AS first_segment_start,
    max(segment_end) AS last_segment_end
  FROM activity_segments
  GROUP BY participant_virtual_id
), fused AS (
  SELECT
    participant_virtual_id,
    count(*) FILTER (WHERE declared_label IS NOT NULL) AS declared_segments,
    count(*) FILTER (WHERE declared_label IS NOT NULL AND match) AS matching_segments,
    count(*) FILTER (WHERE needs_review) AS needs_review_segments
  FROM activity_timeline
  GROUP BY participant_virtual_id
)
SELECT
  s.participant_virtual_id,
  s.segments,
  s.classified_segments,
  s.declared_segments,
  s.matching_segments,
  s.matching_segments::double precision / nullif(s.declared_segments, 0) AS accuracy,
  s.matching_group_segments::double precision / nullif(s.declared_segments, 0) AS group_accuracy,
  f.matching_segments::double precision / nullif(f.declared_segments, 0) AS fused_accuracy,
  COALESCE(f.needs_review_segments, 0) AS needs_review_segments,
  s.first_segment_start,
  s.last_segment_end
FROM sensors s
LEFT JOIN fused f ON f.participant_virtual_id = s.participant_virtual_id;

COMMENT ON VIEW classification_accuracy_by_participant IS 'Per participant, how often the sensor classification (activity_segments) agrees with what the volunteer declared, and how often the fused timeline does.';
COMMENT ON COLUMN classification_accuracy_by_participant.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN classification_accuracy_by_participant.segments IS '5-minute segments classified or not.';
COMMENT ON COLUMN classification_accuracy_by_participant.classified_segments IS 'Segments with a predicted label.';
COMMENT ON COLUMN classification_accuracy_by_participant.declared_segments IS 'Segments with a declared label.';
COMMENT ON COLUMN classification_accuracy_by_participant.matching_segments IS 'Declared segments whose prediction equals the declaration (match is true).';
COMMENT ON COLUMN classification_accuracy_by_participant.accuracy IS 'matching_segments / declared_segments, 0..1; null without declarations.';
COMMENT ON COLUMN classification_accuracy_by_participant.group_accuracy IS 'Share of declared segments whose predicted group (indoor/outdoor/transport) equals the declared group, 0..1.';
COMMENT ON COLUMN classification_accuracy_by_participant.fused_accuracy IS 'The same share for the fused timeline (activity_timeline.match), 0..1.';
COMMENT ON COLUMN classification_accuracy_by_participant.needs_review_segments IS 'Timeline segments flagged for human review (activity_timeline.needs_review, within each day''s budget).';
COMMENT ON COLUMN classification_accuracy_by_participant.first_segment_start IS 'Start of the participant''s first segment.';
COMMENT ON COLUMN classification_accuracy_by_participant.last_segment_end IS 'End of the participant''s last segment.';

-- GPS points with the stop or move they belong to.
CREATE OR REPLACE VIEW gps_points_with_episode AS
SELECT
  g.participant_virtual_id,
  g.time,
  g.lat,
  g.lon,
  g.geom,
  g.col,
  g.row,
  g.hilbert,
  g.speed_mps,
  e.episode_start,
  e.episode_end,
  e.episode_type,
  e.transport_mode,
  e.transport_probability,
  e.centroid
FROM gps_clean g
-- Consecutive legs of a move share their boundary point: it takes the later leg, as in
-- `polluscope gps stops`, so each point appears once.
LEFT JOIN LATERAL (
  SELECT x.episode_start, x.episode_end, x.episode_type, x.transport_mode, x.transport_probability, x.centroid
  FROM gps_episodes x
  WHERE x.participant_virtual_id = g.participant_virtual_id
    AND g.time >= x.episode_start
    AND g.time <= x.episode_end
  ORDER BY x.episode_start DESC
  LIMIT 1
) e ON true;

COMMENT ON VIEW gps_points_with_episode IS 'Each cleaned GPS point with the episode (stop or move leg) whose [episode_start, episode_end] contains its time, the later one for the point two legs share; episode columns are null for a point in no episode.';
COMMENT ON COLUMN gps_points_with_episode.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN gps_points_with_episode.time IS 'Fix time, timestamptz.';
COMMENT ON COLUMN gps_points_with_episode.lat IS 'Latitude, degrees WGS84.';
COMMENT ON COLUMN gps_points_with_episode.lon IS 'Longitude, degrees WGS84.';
COMMENT ON COLUMN gps_points_with_episode.geom IS 'The point, geometry(Point, 4326).';
COMMENT ON COLUMN gps_points_with_episode.col IS 'Grid column 0..3599; null outside the grid.';
COMMENT ON COLUMN gps_points_with_episode.row IS 'Grid row 0..3599; null outside the grid.';
COMMENT ON COLUMN gps_points_with_episode.hilbert IS 'Hilbert index of (col, row); null outside the grid.';
COMMENT ON COLUMN gps_points_with_episode.speed_mps IS 'Speed from the previous kept point, m/s.';
COMMENT ON COLUMN gps_points_with_episode.episode_start IS 'Start of the point''s episode (its key in gps_episodes).';
COMMENT ON COLUMN gps_points_with_episode.episode_end IS 'End of the point''s episode.';
COMMENT ON COLUMN gps_points_with_episode.episode_type IS 'stop or move.';
COMMENT ON COLUMN gps_points_with_episode.transport_mode IS 'Transport mode of a move.';
COMMENT ON COLUMN gps_points_with_episode.transport_probability IS 'Probability of the transport mode, 0..1.';
COMMENT ON COLUMN gps_points_with_episode.centroid IS 'Centroid of a stop, geometry(Point, 4326).';

-- Stops with their local day, duration and centroid.
CREATE OR REPLACE VIEW gps_stops AS
SELECT
  participant_virtual_id,
  (episode_start AT TIME ZONE 'Europe/Paris')::date AS day,
  episode_start,
  episode_end,
  duration_s / 60 AS duration_min,
  point_count,
  centroid_lat,
  centroid_lon,
  centroid,
  radius_m,
  hilbert,
  detector
FROM gps_episodes
WHERE episode_type = 'stop';

COMMENT ON VIEW gps_stops IS 'The stops of gps_episodes with their local day (Europe/Paris), duration in minutes and centroid.';
COMMENT ON COLUMN gps_stops.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN gps_stops.day IS 'Local day (Europe/Paris) of episode_start.';
COMMENT ON COLUMN gps_stops.episode_start IS 'First point of the stop, timestamptz.';
COMMENT ON COLUMN gps_stops.episode_end IS 'Last point of the stop, timestamptz.';
COMMENT ON COLUMN gps_stops.duration_min IS 'Duration, minutes.';
COMMENT ON COLUMN gps_stops.point_count IS 'GPS points in the stop.';
COMMENT ON COLUMN gps_stops.centroid_lat IS 'Centroid latitude, degrees WGS84.';
COMMENT ON COLUMN gps_stops.centroid_lon IS 'Centroid longitude, degrees WGS84.';
COMMENT ON COLUMN gps_stops.centroid IS 'Centroid, geometry(Point, 4326).';
COMMENT ON COLUMN gps_stops.radius_m IS 'Radius around the centroid, metres.';
COMMENT ON COLUMN gps_stops.hilbert IS 'Hilbert cell of the centroid.';
COMMENT ON COLUMN gps_stops.detector IS 'stay-point or hilbert-density.';

-- The current decision of each reviewed segment: review_decisions keeps every decision (the
-- history, key participant_virtual_id, segment_start, decided_at); the latest one counts, as the
-- stream applies them (docs/design.md §5.6). Every reader of "the decision" reads this view.
-- Ordered descending on every key column so that the primary key's index, read backwards, serves it.
CREATE OR REPLACE VIEW review_decisions_latest AS
SELECT DISTINCT ON (participant_virtual_id, segment_start)
  participant_virtual_id, segment_start, label, reviewer, comment, decided_at
FROM review_decisions
ORDER BY participant_virtual_id DESC, segment_start DESC, decided_at DESC;

COMMENT ON VIEW review_decisions_latest IS 'The current review decision per segment: the latest (greatest decided_at) of its history in review_decisions.';
COMMENT ON COLUMN review_decisions_latest.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN review_decisions_latest.segment_start IS 'Start of the reviewed segment, timestamptz.';
COMMENT ON COLUMN review_decisions_latest.label IS 'Canonical label of the latest decision.';
COMMENT ON COLUMN review_decisions_latest.reviewer IS 'Who made the latest decision.';
COMMENT ON COLUMN review_decisions_latest.comment IS 'Reviewer''s free text.';
COMMENT ON COLUMN review_decisions_latest.decided_at IS 'When the latest decision was made, timestamptz.';

-- Segments flagged for review (by the timeline, within each participant-day's budget), with the
-- sensor prediction, what fusion and reviewers made of them, and why they are flagged.
CREATE OR REPLACE VIEW segments_needing_review AS
SELECT
  t.participant_virtual_id,
  t.segment_start,
  t.segment_end,
  s.predicted_label,
  s.confidence,
  s.probabilities,
  s.rule_applied,
  t.declared_label,
  s.match,
  t.final_label,
  t.source AS final_source,
  r.label AS reviewed_label,
  r.reviewer,
  r.comment,
  r.decided_at,
  (r.label IS NOT NULL) AS reviewed,
  t.review_reason,
  t.review_wrong_probability
FROM activity_timeline t
LEFT JOIN activity_segments s
  ON s.participant_virtual_id = t.participant_virtual_id AND s.segment_start = t.segment_start
LEFT JOIN review_decisions_latest r
  ON r.participant_virtual_id = t.participant_virtual_id AND r.segment_start = t.segment_start
WHERE t.needs_review;

COMMENT ON VIEW segments_needing_review IS 'Timeline segments flagged for human review (activity_timeline.needs_review: at most REVIEW_BUDGET of a participant-day, likeliest wrong first), with the sensor prediction, the fused label, the reason and the review decision if any; reviewed = false are the pending ones.';
COMMENT ON COLUMN segments_needing_review.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN segments_needing_review.segment_start IS 'Start of the segment, timestamptz.';
COMMENT ON COLUMN segments_needing_review.segment_end IS 'End (exclusive), timestamptz.';
COMMENT ON COLUMN segments_needing_review.predicted_label IS 'Label predicted from the sensors; null when no view was present.';
COMMENT ON COLUMN segments_needing_review.confidence IS 'Probability of predicted_label, 0..1.';
COMMENT ON COLUMN segments_needing_review.probabilities IS 'Per-label probabilities, jsonb.';
COMMENT ON COLUMN segments_needing_review.rule_applied IS 'Time-of-day rule that changed the label, if any.';
COMMENT ON COLUMN segments_needing_review.declared_label IS 'Canonical label the volunteer declared.';
COMMENT ON COLUMN segments_needing_review.match IS 'declared_label = predicted_label; null without a declaration.';
COMMENT ON COLUMN segments_needing_review.final_label IS 'Label after fusion (activity_timeline), a review included.';
COMMENT ON COLUMN segments_needing_review.final_source IS 'gps, stop, sensors or review.';
COMMENT ON COLUMN segments_needing_review.reviewed_label IS 'Label of the latest decision (review_decisions_latest); null while pending.';
COMMENT ON COLUMN segments_needing_review.reviewer IS 'Who decided.';
COMMENT ON COLUMN segments_needing_review.comment IS 'Reviewer''s free text.';
COMMENT ON COLUMN segments_needing_review.decided_at IS 'When the decision was made, timestamptz.';
COMMENT ON COLUMN segments_needing_review.reviewed IS 'A decision exists for the segment.';
COMMENT ON COLUMN segments_needing_review.review_reason IS 'Why it is flagged: low_confidence_no_gps or contradicts_declaration.';
COMMENT ON COLUMN segments_needing_review.review_wrong_probability IS 'Probability that the label fusion gave before any review is wrong, 0..1; GET /reviews lists the likeliest first.';

-- Data quality of a participant's day, one row per variable: how much was measured, imputed and
-- flagged by the cleaner (docs/cleaning.md). sensor_clean carries one flag per variable and minute
-- in quality_flags ('pm25:spike;no2:warmup'); the ';' and ':' around the name keep pm1 from
-- matching pm10.
CREATE OR REPLACE VIEW data_quality_daily AS
WITH variable_minutes AS (
  SELECT
    c.participant_virtual_id,
    (c.time AT TIME ZONE 'Europe/Paris')::date AS day,
    v.variable,
    v.value,
    v.imputed,
    substring(';' || c.quality_flags || ';' FROM ';' || v.variable || ':([a-z]+);') AS flag
  FROM sensor_clean c
  CROSS JOIN LATERAL (
    VALUES
      ('pm1', c.pm1, c.imputed_pm1),
      ('pm25', c.pm25, c.imputed_pm25),
      ('pm10', c.pm10, c.imputed_pm10),
      ('no2', c.no2, c.imputed_no2),
      ('bc', c.bc, c.imputed_bc),
      ('temperature', c.temperature, c.imputed_temperature),
      ('humidity', c.humidity, c.imputed_humidity)
  ) AS v (variable, value, imputed)
)
SELECT
  participant_virtual_id,
  day,
  variable,
  (extract(epoch FROM ((day + 1)::timestamp AT TIME ZONE 'Europe/Paris') - (day::timestamp AT TIME ZONE 'Europe/Paris')) / 60)::integer AS day_length_minutes,
  count(*)::integer AS sensor_minutes,
  count(value)::integer AS measured_minutes,
  count(value)::double precision
    / (extract(epoch FROM ((day + 1)::timestamp AT TIME ZONE 'Europe/Paris') - (day::timestamp AT TIME ZONE 'Europe/Paris')) / 60) AS coverage,
  (count(*) FILTER (WHERE imputed))::integer AS imputed_minutes,
  (count(*) - count(value))::integer AS missing_minutes,
  count(flag)::integer AS flagged_minutes,
  (count(*) FILTER (WHERE flag IN ('range', 'warmup', 'spike')))::integer AS removed_minutes,
  (count(*) FILTER (WHERE flag = 'range'))::integer AS range_minutes,
  (count(*) FILTER (WHERE flag = 'warmup'))::integer AS warmup_minutes,
  (count(*) FILTER (WHERE flag = 'spike'))::integer AS spike_minutes,
  (count(*) FILTER (WHERE flag = 'high'))::integer AS high_minutes,
  (count(*) FILTER (WHERE flag = 'clipped'))::integer AS clipped_minutes
FROM variable_minutes
GROUP BY participant_virtual_id, day, variable;

COMMENT ON VIEW data_quality_daily IS 'Per participant, local day (Europe/Paris) and variable: sensor minutes received, minutes with a value after cleaning (coverage of the day), imputed, missing, and flagged minutes by flag (from sensor_clean.imputed_* and quality_flags). Filter on participant_virtual_id and day.';
COMMENT ON COLUMN data_quality_daily.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN data_quality_daily.day IS 'Local day (Europe/Paris) of the minutes.';
COMMENT ON COLUMN data_quality_daily.variable IS 'pm1, pm25, pm10, no2, bc, temperature or humidity (the sensor_clean column).';
COMMENT ON COLUMN data_quality_daily.day_length_minutes IS 'Minutes in the local day: 1440, or 1380 and 1500 on daylight-saving change days.';
COMMENT ON COLUMN data_quality_daily.sensor_minutes IS 'sensor_clean rows of the day (minutes the kit sent), whatever their values.';
COMMENT ON COLUMN data_quality_daily.measured_minutes IS 'Minutes with a value of the variable after cleaning, imputed ones included.';
COMMENT ON COLUMN data_quality_daily.coverage IS 'measured_minutes / day_length_minutes, 0..1.';
COMMENT ON COLUMN data_quality_daily.imputed_minutes IS 'Minutes whose value was filled by the centred 8-minute mean (imputed_<variable>); included in measured_minutes.';
COMMENT ON COLUMN data_quality_daily.missing_minutes IS 'Minutes received without a value after cleaning and imputation: sensor_minutes − measured_minutes.';
COMMENT ON COLUMN data_quality_daily.flagged_minutes IS 'Minutes carrying a quality flag for the variable, removed or kept.';
COMMENT ON COLUMN data_quality_daily.removed_minutes IS 'Minutes whose value the cleaner removed: range + warmup + spike (the value may since have been imputed).';
COMMENT ON COLUMN data_quality_daily.range_minutes IS 'Removed: outside what the instrument can measure.';
COMMENT ON COLUMN data_quality_daily.warmup_minutes IS 'Removed: NO2 sensor warm-up (first 3 values of a session).';
COMMENT ON COLUMN data_quality_daily.spike_minutes IS 'Removed: one-minute glitch of one channel.';
COMMENT ON COLUMN data_quality_daily.high_minutes IS 'Kept and flagged: PM above 300 µg/m³, BC above 50,000 ng/m³.';
COMMENT ON COLUMN data_quality_daily.clipped_minutes IS 'Kept and flagged: humidity 100–105 % set to 100.';
