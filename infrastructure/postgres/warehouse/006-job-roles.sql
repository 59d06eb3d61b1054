-- One role per job (docs/design.md §7, least privilege). Idempotent: applied on every
-- `polluscope infra up` and by the Compose init script, after the tables (001) and the
-- researcher's roles (004).
--
--   polluscope_sink_points    warehouse-sink-points: sensor_clean, gps_clean
--   polluscope_sink_segments  warehouse-sink-segments: activity_segments, activity_timeline
--   polluscope_sink_reviews   warehouse-sink-reviews: review_decisions (every decision, keyed with its decided_at)
--   polluscope_sink_episodes  warehouse-sink-episodes: gps_episodes
--   polluscope_sink_exposure  warehouse-sink-exposure: exposure_daily
--   polluscope_api            postprocessing's review API: reads every table, writes none
--
-- A sink upserts (INSERT … ON CONFLICT DO UPDATE: SELECT, INSERT, UPDATE) its own tables and can
-- touch no other; none deletes (the sinks run with delete.enabled=false; erasure is the owner's).
-- The roles are created NOLOGIN here; the environment gives each LOGIN and its password (the
-- embedded stack from .polluscope/secrets/, Compose from POLLUSCOPE_PG_*_PASSWORD).

DO $$
DECLARE
  job text;
BEGIN
  FOREACH job IN ARRAY ARRAY['polluscope_sink_points', 'polluscope_sink_segments', 'polluscope_sink_reviews', 'polluscope_sink_episodes', 'polluscope_sink_exposure', 'polluscope_api'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = job) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', job);
    END IF;
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', job);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), job);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', job);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', job);
    -- Start from nothing, so privileges granted by hand do not survive the next `up`.
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', job);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', job);
  END LOOP;
  -- Only the roles granted CONNECT (and the owner and superuser) may open this database.
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

GRANT SELECT, INSERT, UPDATE ON sensor_clean, gps_clean TO polluscope_sink_points;
GRANT SELECT, INSERT, UPDATE ON activity_segments, activity_timeline TO polluscope_sink_segments;
GRANT SELECT, INSERT, UPDATE ON review_decisions TO polluscope_sink_reviews;
GRANT SELECT, INSERT, UPDATE ON gps_episodes TO polluscope_sink_episodes;
GRANT SELECT, INSERT, UPDATE ON exposure_daily TO polluscope_sink_exposure;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO polluscope_api;
