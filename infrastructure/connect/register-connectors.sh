#!/bin/sh
# Registers every connectors/*.json ({ "name", "config" }) with Kafka Connect, then waits until
# each connector and all its tasks are RUNNING. Idempotent: PUT /connectors/<name>/config creates
# a connector or updates it in place, so running this again after editing a file is the update.
#
# Settings (environment):
#   CONNECT_URL      Kafka Connect REST API               default http://connect:8083
#   CONNECTORS_DIR   folder of the connector files        default /connectors
#   WAIT_TIMEOUT_S   seconds to wait for Connect, then for the connectors to run   default 300
#   POLL_S           seconds between two checks           default 2
#   HTTP_TIMEOUT_S   seconds one request may take, then tried again (twice)   default 30
#   POLLUSCOPE_CONNECT_REST_USER, POLLUSCOPE_CONNECT_REST_PASSWORD
#                    Connect's REST login (connect-basic-auth-extension); unset: no login sent
#
# Exit status: 0 when every connector runs; 1 on a refused file, a FAILED connector or task
# (its first trace line is printed), or a timeout.
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
CONNECTORS_DIR="${CONNECTORS_DIR:-/connectors}"
WAIT_TIMEOUT_S="${WAIT_TIMEOUT_S:-300}"
POLL_S="${POLL_S:-2}"
HTTP_TIMEOUT_S="${HTTP_TIMEOUT_S:-30}"

log() { printf '%s register-connectors: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
fail() { log "error: $*" >&2; exit 1; }

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done

now() { date +%s; }
deadline=$(( $(now) + WAIT_TIMEOUT_S ))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
body="$work/body"
# The REST login goes to curl in a 0600 file of options, not on its command line, where any
# local user could read it (ps). Without POLLUSCOPE_CONNECT_REST_USER no login is sent.
curl_config="$work/curl-config"
( umask 077; : > "$curl_config" )
if [ -n "${POLLUSCOPE_CONNECT_REST_USER:-}" ]; then
  printf 'user = "%s:%s"\n' "$POLLUSCOPE_CONNECT_REST_USER" "${POLLUSCOPE_CONNECT_REST_PASSWORD:-}" > "$curl_config"
fi
# Every request has a deadline and is tried again (twice) when it passes or Connect answers 5xx
# (a PUT of a configuration is idempotent): an answer that never comes must not hold the script.
printf 'connect-timeout = 5\nmax-time = %s\nretry = 2\nretry-delay = 1\n' "$HTTP_TIMEOUT_S" >> "$curl_config"

log "waiting for Kafka Connect at $CONNECT_URL"
until curl -K "$curl_config" -fsS -o /dev/null "$CONNECT_URL/connector-plugins" 2>/dev/null; do
  [ "$(now)" -lt "$deadline" ] || fail "Kafka Connect did not answer at $CONNECT_URL within ${WAIT_TIMEOUT_S}s"
  sleep "$POLL_S"
done


names=""
for file in "$CONNECTORS_DIR"/*.json; do
  [ -e "$file" ] || fail "no connector files (*.json) in $CONNECTORS_DIR"
  name=$(jq -er '.name | select(type == "string" and test("^[A-Za-z0-9._-]+$"))' "$file" 2>/dev/null) \
    || fail "$file: expected a string \"name\" of letters, digits, '.', '_' or '-'"
  jq -e '.config | type == "object"' "$file" >/dev/null 2>&1 || fail "$file: expected a \"config\" object"
  status=$(jq -c '.config' "$file" | curl -K "$curl_config" -sS -o "$body" -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' --data-binary @- "$CONNECT_URL/connectors/$name/config") \
    || fail "cannot reach Kafka Connect at $CONNECT_URL to register $name"
  case "$status" in
    201) log "created $name" ;;
    200) log "updated $name" ;;
    *) fail "Kafka Connect refused $name from $file (HTTP $status): $(cat "$body")" ;;
  esac
  names="$names $name"
done

# RUNNING when the connector and at least one task run; FAILED as soon as one of them failed.
summary='[.connector.state // "UNASSIGNED"] + [(.tasks // [])[].state]
  | if any(. == "FAILED") then "FAILED"
    elif length > 1 and all(. == "RUNNING") then "RUNNING"
    else "WAITING" end'
first_trace='[.connector.trace, (.tasks // [])[].trace] | map(select(. != null)) | (first // "no trace") | split("\n")[0]'

deadline=$(( $(now) + WAIT_TIMEOUT_S ))
for name in $names; do
  while :; do
    if curl -K "$curl_config" -fsS -o "$body" "$CONNECT_URL/connectors/$name/status" 2>/dev/null; then
      state=$(jq -r "$summary" "$body")
    else
      state=UNKNOWN
    fi
    case "$state" in
      RUNNING) log "$name is running"; break ;;
      FAILED) fail "$name failed: $(jq -r "$first_trace" "$body")" ;;
    esac
    [ "$(now)" -lt "$deadline" ] || fail "$name is not running after ${WAIT_TIMEOUT_S}s (state: $state)"
    sleep "$POLL_S"
  done
done
log "all connectors running:$names"
