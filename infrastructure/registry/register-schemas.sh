#!/bin/sh
# Registers the pipeline's Avro schemas (schemas/*.avsc) with the schema registry's
# Confluent-compatible API, every subject `<topic>-value` under BACKWARD compatibility, so that an
# incompatible change of a topic's records is refused by the registry instead of flowing on.
# The raw topics' schemas are written by the change-data-capture source itself: for them only the
# compatibility rule is set (before the source's first record); the file is the consumers' reader
# schema. Idempotent: registering a schema already registered returns its id.
#
# Settings (environment):
#   REGISTRY_URL     Confluent-compatible API   default http://registry:8080/apis/ccompat/v7
#   SCHEMAS_DIR      folder of the .avsc files   default /schemas
#   WAIT_TIMEOUT_S   seconds to wait for the registry   default 120
#   HTTP_TIMEOUT_S   seconds one request may take, then tried again (twice)   default 30
#   POLLUSCOPE_REGISTRY_USER, POLLUSCOPE_REGISTRY_PASSWORD
#                    the registry's writer login (HTTP Basic); unset: no login sent
set -eu

REGISTRY_URL="${REGISTRY_URL:-http://registry:8080/apis/ccompat/v7}"
SCHEMAS_DIR="${SCHEMAS_DIR:-/schemas}"
WAIT_TIMEOUT_S="${WAIT_TIMEOUT_S:-120}"
HTTP_TIMEOUT_S="${HTTP_TIMEOUT_S:-30}"
CONTENT_TYPE='Content-Type: application/vnd.schemaregistry.v1+json'

log() { printf '%s register-schemas: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
fail() { log "error: $*" >&2; exit 1; }

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
body="$work/body"
# The login goes to curl in a 0600 file of options, not on its command line, where any local
# user could read it (ps). Without POLLUSCOPE_REGISTRY_USER no login is sent.
curl_config="$work/curl-config"
( umask 077; : > "$curl_config" )
if [ -n "${POLLUSCOPE_REGISTRY_USER:-}" ]; then
  printf 'user = "%s:%s"\n' "$POLLUSCOPE_REGISTRY_USER" "${POLLUSCOPE_REGISTRY_PASSWORD:-}" > "$curl_config"
fi
# Every request has a deadline and is tried again (twice) when it passes or the server answers 5xx;
# every write here is idempotent. Once, right after Connect restarted, the registry logged a
# PUT as answered and curl waited for that answer for ever, holding `infra up` with it.
printf 'connect-timeout = 5\nmax-time = %s\nretry = 2\nretry-delay = 1\n' "$HTTP_TIMEOUT_S" >> "$curl_config"

deadline=$(( $(date +%s) + WAIT_TIMEOUT_S ))
until curl -K "$curl_config" -fsS -o /dev/null "$REGISTRY_URL/subjects" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the registry did not answer at $REGISTRY_URL within ${WAIT_TIMEOUT_S}s"
  sleep 2
done

for file in "$SCHEMAS_DIR"/*.avsc; do
  [ -e "$file" ] || fail "no schema files (*.avsc) in $SCHEMAS_DIR"
  topic=$(basename "$file" .avsc)
  subject="$topic-value"
  status=$(curl -K "$curl_config" -sS -o "$body" -w '%{http_code}' -X PUT -H "$CONTENT_TYPE" \
    --data '{"compatibility":"BACKWARD"}' "$REGISTRY_URL/config/$subject") || fail "cannot reach the registry to configure $subject"
  case "$status" in
    200) ;;
    401) fail "the registry refused the login for $subject (HTTP 401): set POLLUSCOPE_REGISTRY_USER and POLLUSCOPE_REGISTRY_PASSWORD to its writer's" ;;
    *) fail "the registry refused BACKWARD for $subject (HTTP $status): $(cat "$body")" ;;
  esac
  case "$topic" in
    raw.*) log "$subject: BACKWARD (written by the change-data-capture source)"; continue ;;
  esac
  jq -e . "$file" >/dev/null 2>&1 || fail "$file is not valid JSON"
  status=$(jq -c '{schema: (. | tojson)}' "$file" | curl -K "$curl_config" -sS -o "$body" -w '%{http_code}' -X POST -H "$CONTENT_TYPE" \
    --data-binary @- "$REGISTRY_URL/subjects/$subject/versions") || fail "cannot reach the registry to register $subject"
  case "$status" in
    200) log "$subject: BACKWARD, schema id $(jq -r .id "$body")" ;;
    409) fail "$subject: $file is not BACKWARD compatible with the registered schema: $(cat "$body")" ;;
    *) fail "the registry refused $subject from $file (HTTP $status): $(cat "$body")" ;;
  esac
done
