#!/bin/sh
# First-start initialisation of a compose PostgreSQL container (docker-compose.infra.yml), the
# counterpart of provisionCluster() in cli/src/infra/postgres.ts. The image's entrypoint runs it
# from /docker-entrypoint-initdb.d when the data volume is empty, with a local-only server up:
#   - creates the owner role (LOGIN, password from the environment): migrations and operators,
#   - creates the database owned by that role, with the PostGIS extension,
#   - applies /polluscope/sql/*.sql (infrastructure/postgres/<db>/) in name order; the job-roles
#     file among them creates each job's role NOLOGIN and grants it its table privileges,
#   - hands the tables to the owner role,
#   - gives each job role whose password variable is set a LOGIN and that password
#     (docs/security.md, "Compose"),
#   - accepts replication connections with a password (scram-sha-256), for the CDC source.
#
# Environment: POLLUSCOPE_DB (rawdata | warehouse), POLLUSCOPE_PG_USER, POLLUSCOPE_PG_PASSWORD,
# the job roles' POLLUSCOPE_PG_*_PASSWORD of this database (JOB_ROLES below); POSTGRES_USER,
# POSTGRES_PASSWORD and PGDATA come from the image.
set -eu

: "${POLLUSCOPE_DB:?POLLUSCOPE_DB must name the database to create}"
: "${POLLUSCOPE_PG_USER:?POLLUSCOPE_PG_USER must name the application role}"
: "${POLLUSCOPE_PG_PASSWORD:?POLLUSCOPE_PG_PASSWORD must be set (see .env.example)}"
SQL_DIR="${POLLUSCOPE_SQL_DIR:-/polluscope/sql}"
SUPERUSER="${POSTGRES_USER:-postgres}"

run_psql() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$SUPERUSER" "$@"
}

# Identifiers and the password are quoted by the server (format %I / %L), never by the shell.
run_psql --dbname postgres \
  --set=app_user="$POLLUSCOPE_PG_USER" --set=app_password="$POLLUSCOPE_PG_PASSWORD" --set=app_db="$POLLUSCOPE_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'app_db') \gexec
SQL

run_psql --dbname "$POLLUSCOPE_DB" --command 'CREATE EXTENSION IF NOT EXISTS postgis'

found=0
for script in "$SQL_DIR"/*.sql; do
  [ -e "$script" ] || continue
  found=1
  echo "polluscope: $POLLUSCOPE_DB: applying $(basename "$script")"
  run_psql --dbname "$POLLUSCOPE_DB" --file "$script"
done
if [ "$found" = 0 ]; then
  echo "polluscope: no .sql files in $SQL_DIR" >&2
  exit 1
fi

# Tables and views created by the superuser belong to the application role (as in the embedded stack).
run_psql --dbname "$POLLUSCOPE_DB" --set=app_user="$POLLUSCOPE_PG_USER" <<'SQL'
SELECT format('ALTER TABLE %I.%I OWNER TO %I', schemaname, tablename, :'app_user')
  FROM pg_tables
 WHERE schemaname = 'public' AND tableowner <> :'app_user' AND tablename <> 'spatial_ref_sys' \gexec
SELECT format('ALTER VIEW %I.%I OWNER TO %I', schemaname, viewname, :'app_user')
  FROM pg_views
 WHERE schemaname = 'public' AND viewowner <> :'app_user' AND viewname NOT IN ('geometry_columns', 'geography_columns') \gexec
SQL

# Job roles: name, password variable, and what the role needs beyond its grants (the SQL files
# grant the table privileges): REPLICATION for the change-data-capture source, pg_monitor for the
# exporter that reads the replication slot. A variable left unset in this container leaves the
# role without a login.
JOB_ROLES='
polluscope_cdc POLLUSCOPE_PG_CDC_PASSWORD replication
polluscope_sink_points POLLUSCOPE_PG_SINK_POINTS_PASSWORD -
polluscope_sink_segments POLLUSCOPE_PG_SINK_SEGMENTS_PASSWORD -
polluscope_sink_reviews POLLUSCOPE_PG_SINK_REVIEWS_PASSWORD -
polluscope_sink_episodes POLLUSCOPE_PG_SINK_EPISODES_PASSWORD -
polluscope_sink_exposure POLLUSCOPE_PG_SINK_EXPOSURE_PASSWORD -
polluscope_api POLLUSCOPE_PG_API_PASSWORD -
polluscope_exporter POLLUSCOPE_PG_EXPORTER_PASSWORD monitor
researcher_login POLLUSCOPE_PG_RESEARCHER_PASSWORD -
'
echo "$JOB_ROLES" | while read -r role variable needs; do
  [ -n "$role" ] || continue
  # The variable's name comes from the fixed list above, never from input.
  eval "password=\${$variable:-}"
  [ -n "$password" ] || continue
  if [ "$password" = "${POSTGRES_PASSWORD:-}" ] || [ "$password" = "$POLLUSCOPE_PG_PASSWORD" ]; then
    echo "polluscope: $variable must differ from the superuser's and the owner's passwords" >&2
    exit 1
  fi
  run_psql --dbname "$POLLUSCOPE_DB" --set=role="$role" --set=password="$password" --set=needs="$needs" <<'SQL'
SELECT format('CREATE ROLE %I NOLOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN %s PASSWORD %L', :'role',
              CASE WHEN :'needs' = 'replication' THEN 'REPLICATION' ELSE 'NOREPLICATION' END, :'password') \gexec
SELECT format('GRANT pg_monitor TO %I', :'role') WHERE :'needs' = 'monitor' \gexec
SQL
  echo "polluscope: $POLLUSCOPE_DB: role $role can log in"
done

# The image's rule `host all all all scram-sha-256` does not cover replication connections.
if ! grep -q '^host replication all all scram-sha-256' "$PGDATA/pg_hba.conf"; then
  printf '\n# polluscope: change-data-capture (logical replication) with a password\nhost replication all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
fi
echo "polluscope: $POLLUSCOPE_DB ready for role $POLLUSCOPE_PG_USER"
