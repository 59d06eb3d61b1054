#!/bin/sh
# First-start initialisation of a compose PostgreSQL container (docker-compose.infra.yml), the
# counterpart of provisionCluster() in cli/src/infra/postgres.ts. The image's entrypoint runs it
# from /docker-entrypoint-initdb.d when the data volume is empty, with a local-only server up:
#   - creates the application role (LOGIN REPLICATION, password from the environment),
#   - creates the database owned by that role, with the PostGIS extension,
#   - applies /polluscope/sql/*.sql (infrastructure/postgres/<db>/) in name order,
#   - hands the tables to the application role,
#   - accepts replication connections with a password (scram-sha-256), for the CDC source.
#
# Environment: POLLUSCOPE_DB (rawdata | warehouse), POLLUSCOPE_PG_USER, POLLUSCOPE_PG_PASSWORD;
# POSTGRES_USER and PGDATA come from the image.
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
SELECT format('CREATE ROLE %I LOGIN REPLICATION PASSWORD %L', :'app_user', :'app_password')
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

# The image's rule `host all all all scram-sha-256` does not cover replication connections.
if ! grep -q '^host replication all all scram-sha-256' "$PGDATA/pg_hba.conf"; then
  printf '\n# polluscope: change-data-capture (logical replication) with a password\nhost replication all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
fi
echo "polluscope: $POLLUSCOPE_DB ready for role $POLLUSCOPE_PG_USER"
