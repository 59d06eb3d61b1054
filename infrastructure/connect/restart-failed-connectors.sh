#!/bin/sh
# Watches Kafka Connect and restarts connectors and tasks that FAILED. A JDBC sink task dies when
# the warehouse closes its connection mid-write (PostgreSQL stopped or restarted: SQLSTATE 57P01,
# which the sink does not retry) and Kafka Connect never restarts it by itself. Restarting is
# safe: a sink resumes from its committed offsets and upserts, the source from its slot.
#
# Settings (environment):
#   CONNECT_URL   Kafka Connect REST API                       default http://connect:8083
#   POLL_S        seconds between two checks                   default 10
#
# Runs until stopped. Each restart is logged with the first line of the failure's trace.
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
POLL_S="${POLL_S:-10}"

log() { printf '%s connect-watchdog: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { log "error: $tool is required" >&2; exit 1; }
done

# One line per failed connector: "<name>\t<first trace line>" (the connector's or a task's).
failed='to_entries[] | .value.status
  | select(.connector.state == "FAILED" or any((.tasks // [])[]; .state == "FAILED"))
  | [.name, ((([.connector] + (.tasks // [])) | map(select(.state == "FAILED"))[0].trace // "FAILED") | split("\n")[0])]
  | @tsv'

log "watching $CONNECT_URL every ${POLL_S}s"
while :; do
  if statuses=$(curl -fsS "$CONNECT_URL/connectors?expand=status" 2>/dev/null); then
    printf '%s' "$statuses" | jq -r "$failed" | while IFS="$(printf '\t')" read -r name trace; do
      log "restarting the failed parts of $name ($trace)"
      curl -fsS -o /dev/null -X POST "$CONNECT_URL/connectors/$name/restart?includeTasks=true&onlyFailed=true" \
        || log "could not restart $name; will try again"
    done
  fi
  sleep "$POLL_S"
done
