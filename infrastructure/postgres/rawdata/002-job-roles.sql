-- One role per job (docs/design.md §7, least privilege). Idempotent: applied on every
-- `polluscope infra up` and by the Compose init script, after the tables (001).
--
--   polluscope_cdc  the change-data-capture source (Debezium): REPLICATION, and SELECT on the two
--                   raw tables for its snapshot. Nothing else: no write, no other table.
--
-- The role is created NOLOGIN here; the environment gives it LOGIN and its password (the embedded
-- stack from .polluscope/secrets/, Compose from POLLUSCOPE_PG_CDC_PASSWORD). The owner role
-- runs migrations and operators' commands.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'polluscope_cdc') THEN
    CREATE ROLE polluscope_cdc NOLOGIN;
  END IF;
END
$$;
ALTER ROLE polluscope_cdc NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION NOBYPASSRLS;

-- Only the roles granted CONNECT below (and the owner and superuser) may open this database.
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO polluscope_cdc', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO polluscope_cdc;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM polluscope_cdc;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM polluscope_cdc;
GRANT SELECT ON sensor_measurements, gps_positions TO polluscope_cdc;
