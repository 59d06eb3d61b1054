-- GPS fixes dropped by the cleaner (docs/design.md §5.3.1) and the daily GPS quality built on them.
-- Idempotent, applied on every `polluscope infra up` after 006-job-roles.sql: 006 starts each job
-- role from nothing on every run (REVOKE ALL ON ALL TABLES), so this file grants its own table and
-- view again each time, after it.

-- Topic gps.dropped, written by warehouse-sink-points as an upsert on the key: a recomputed drop
-- lands on its own row. Columns follow schemas/gps.dropped.avsc field by field.
CREATE TABLE IF NOT EXISTS gps_dropped (
  participant_virtual_id text NOT NULL,
  time timestamptz NOT NULL,
  tablet_id integer,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (participant_virtual_id, time)
);

COMMENT ON TABLE gps_dropped IS 'GPS fixes the cleaner''s speed filter dropped (docs/design.md §5.3.1), one row per participant and fix time; the fixes it kept are in gps_clean. Fixes dead-lettered (malformed, future, late) are in neither.';
COMMENT ON COLUMN gps_dropped.participant_virtual_id IS 'The volunteer''s pseudonymous id; also the record key.';
COMMENT ON COLUMN gps_dropped.time IS 'Fix time, UTC.';
COMMENT ON COLUMN gps_dropped.tablet_id IS 'Tablet id.';
COMMENT ON COLUMN gps_dropped.lat IS 'Latitude, degrees WGS84.';
COMMENT ON COLUMN gps_dropped.lon IS 'Longitude, degrees WGS84.';
COMMENT ON COLUMN gps_dropped.reason IS 'Why it was dropped: too-fast (reached from the last kept fix above 130 km/h), duplicate (same time and place as a kept fix, which is in gps_clean) or same-time (same time as a kept fix, another place).';

-- Per participant, local day and reason: how many fixes the cleaner dropped, beside how many it
-- kept. Every reason of the cleaner has a row for each day with fixes (0 when none was dropped),
-- like exposure_daily's micro-environments. The dropped fixes of a day are read through the
-- primary key (participant, time range), so a filter on participant_virtual_id stays cheap.
CREATE OR REPLACE VIEW gps_quality_daily AS
SELECT
  d.participant_virtual_id,
  d.day,
  r.reason,
  n.dropped_fixes,
  d.kept_fixes,
  d.kept_fixes + d.dropped_fixes AS received_fixes,
  n.dropped_fixes::double precision / (d.kept_fixes + d.dropped_fixes) AS dropped_share
FROM (
  SELECT
    participant_virtual_id,
    day,
    (count(*) FILTER (WHERE kept))::integer AS kept_fixes,
    (count(*) FILTER (WHERE NOT kept))::integer AS dropped_fixes
  FROM (
    SELECT participant_virtual_id, (time AT TIME ZONE 'Europe/Paris')::date AS day, true AS kept FROM gps_clean
    UNION ALL
    SELECT participant_virtual_id, (time AT TIME ZONE 'Europe/Paris')::date AS day, false AS kept FROM gps_dropped
  ) AS fixes
  GROUP BY participant_virtual_id, day
) AS d
CROSS JOIN LATERAL (
  SELECT cleaner.reason FROM (VALUES ('duplicate'), ('same-time'), ('too-fast')) AS cleaner (reason)
  UNION
  SELECT g.reason FROM gps_dropped g
   WHERE g.participant_virtual_id = d.participant_virtual_id
     AND g.time >= d.day::timestamp AT TIME ZONE 'Europe/Paris'
     AND g.time < (d.day + 1)::timestamp AT TIME ZONE 'Europe/Paris'
) AS r
CROSS JOIN LATERAL (
  SELECT count(*)::integer AS dropped_fixes FROM gps_dropped g
   WHERE g.participant_virtual_id = d.participant_virtual_id
     AND g.time >= d.day::timestamp AT TIME ZONE 'Europe/Paris'
     AND g.time < (d.day + 1)::timestamp AT TIME ZONE 'Europe/Paris'
     AND g.reason = r.reason
) AS n;

COMMENT ON VIEW gps_quality_daily IS 'Per participant, local day (Europe/Paris) and reason: GPS fixes the cleaner dropped for that reason (gps_dropped), beside the fixes it kept that day (gps_clean) and their sum, so the share dropped shows; every reason has a row for each day with fixes, 0 when none. Filter on participant_virtual_id and day.';
COMMENT ON COLUMN gps_quality_daily.participant_virtual_id IS 'The volunteer''s pseudonymous id.';
COMMENT ON COLUMN gps_quality_daily.day IS 'Local day (Europe/Paris) of the fixes.';
COMMENT ON COLUMN gps_quality_daily.reason IS 'duplicate, same-time or too-fast (gps_dropped.reason).';
COMMENT ON COLUMN gps_quality_daily.dropped_fixes IS 'Fixes of the day dropped for this reason.';
COMMENT ON COLUMN gps_quality_daily.kept_fixes IS 'Fixes of the day the cleaner kept (gps_clean rows); the same on every reason''s row.';
COMMENT ON COLUMN gps_quality_daily.received_fixes IS 'Fixes of the day the cleaner saw: kept_fixes + the day''s dropped fixes of every reason; the same on every reason''s row.';
COMMENT ON COLUMN gps_quality_daily.dropped_share IS 'dropped_fixes / received_fixes, 0..1.';

-- The points sink upserts the table (SELECT, INSERT, UPDATE; never DELETE: erasure is the
-- owner's); the review API and researchers read the table and the view.
GRANT SELECT, INSERT, UPDATE ON gps_dropped TO polluscope_sink_points;
GRANT SELECT ON gps_dropped, gps_quality_daily TO polluscope_api;
GRANT SELECT ON gps_dropped, gps_quality_daily TO researcher;
