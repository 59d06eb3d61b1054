-- Read-only access for researchers (docs/design.md §3.3). Idempotent: applied on every
-- `polluscope infra up`, after the tables (001) and views (003).
--
-- Two roles, the usual PostgreSQL pattern:
--   researcher        NOLOGIN group role that holds the privileges: SELECT on every table and view
--                     of schema public, now and in the future; never INSERT, UPDATE, DELETE,
--                     TRUNCATE, REFERENCES or TRIGGER; no CREATE on the schema.
--   researcher_login  LOGIN member of researcher, for local development only, password
--                     'researcher' (set once, at creation; change it with ALTER ROLE on any shared
--                     machine). Real researchers get their own login role: CREATE ROLE alice LOGIN
--                     PASSWORD '…' IN ROLE researcher;
-- Keeping the privileges on a group role means personal logins are granted or revoked without
-- touching a single table privilege.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'researcher') THEN
    CREATE ROLE researcher NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'researcher_login') THEN
    CREATE ROLE researcher_login LOGIN PASSWORD 'researcher' IN ROLE researcher;
  END IF;
END
$$;

-- Never more than a reader, even if someone altered the roles by hand.
ALTER ROLE researcher NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE researcher_login NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
DO $$
BEGIN
  IF NOT pg_has_role('researcher_login', 'researcher', 'MEMBER') THEN
    GRANT researcher TO researcher_login;
  END IF;
END
$$;
-- Sessions start read-only as well (a second fence; the privileges below are the real one).
ALTER ROLE researcher_login SET default_transaction_read_only = on;
-- Local days and hours in the participants' time zone (docs/design.md §5.2, the default of
-- exposure_daily): now(), ::date and extract(hour …) on a timestamptz read Europe/Paris, and
-- psql shows times with their Paris offset. PostgreSQL applies a role's settings to the role that
-- logs in, not to its groups: a personal login needs the same two ALTER ROLE lines.
ALTER ROLE researcher_login SET timezone = 'Europe/Paris';

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO researcher', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO researcher;
REVOKE CREATE ON SCHEMA public FROM researcher;

-- Every existing table and view (GRANT … ON ALL TABLES covers views), then nothing else.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO researcher;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM researcher, researcher_login;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM researcher, researcher_login;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO researcher;

-- Password hashes are for the review API only: researchers read every table but this one.
REVOKE ALL ON reviewers FROM researcher, researcher_login;

-- Future tables and views: whoever creates them — the superuser that applies these scripts, or
-- the database owner (the application role the sink writes with, which owns the tables) — they
-- are readable by researcher from the start.
DO $$
DECLARE
  creator text;
BEGIN
  FOR creator IN
    SELECT current_user
    UNION
    SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()
    UNION
    SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'
  LOOP
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT ON TABLES TO researcher', creator);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT ON SEQUENCES TO researcher', creator);
  END LOOP;
END
$$;

COMMENT ON ROLE researcher IS 'Read-only group role for researchers: SELECT on every table and view of the warehouse, including future ones; no writes.';
COMMENT ON ROLE researcher_login IS 'Local-development login for researchers (password researcher), member of researcher.';
