#!/bin/sh
# Watches Kafka Connect and restarts connectors and tasks that FAILED. A JDBC sink task dies when
# the warehouse closes its connection mid-write (PostgreSQL stopped or restarted: SQLSTATE 57P01,
# which the sink does not retry) and Kafka Connect never restarts it by itself. Restarting is
# safe: a sink resumes from its committed offsets and upserts, the source from its slot.
#
# A connector that fails again right after a restart is retried after a doubling delay (POLL_S,
# 2×, 4×, … up to MAX_BACKOFF_S), so a record no restart can get past (the sinks have
# errors.tolerance=none: the task fails on it, never skips it) stays FAILED and visible to
# `polluscope status` and the ConnectorTaskFailed alert instead of being restarted every few seconds.
#
# Settings (environment):
#   CONNECT_URL     Kafka Connect REST API                         default http://connect:8083
#   POLL_S          seconds between two checks                     default 10
#   MAX_BACKOFF_S   longest wait before restarting a connector again   default 300
#   HTTP_TIMEOUT_S  seconds one request may take                   default 30
#   POLLUSCOPE_CONNECT_REST_USER, POLLUSCOPE_CONNECT_REST_PASSWORD
#                   Connect's REST login (connect-basic-auth-extension); unset: no login sent
#
# Runs until stopped. Each restart is logged with the connector's restart count since the
# watchdog started and the first line of the failure's trace; errors of the REST calls are logged.
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
POLL_S="${POLL_S:-10}"
MAX_BACKOFF_S="${MAX_BACKOFF_S:-300}"
HTTP_TIMEOUT_S="${HTTP_TIMEOUT_S:-30}"
# Per connector: restarts so far, current delay, earliest next restart (epoch seconds).
STATE_DIR="$(mktemp -d)"
trap 'rm -rf "$STATE_DIR"' EXIT
# The REST login goes to curl in a 0600 file of options, not on its command line, where any
# local user could read it (ps). Without POLLUSCOPE_CONNECT_REST_USER no login is sent.
curl_config="$STATE_DIR/curl-config"
( umask 077; : > "$curl_config" )
if [ -n "${POLLUSCOPE_CONNECT_REST_USER:-}" ]; then
  printf 'user = "%s:%s"\n' "$POLLUSCOPE_CONNECT_REST_USER" "${POLLUSCOPE_CONNECT_REST_PASSWORD:-}" > "$curl_config"
fi
# Every request has a deadline: a call that never gets its answer would stop the watchdog
# for good (the next check retries).
printf 'connect-timeout = 5\nmax-time = %s\n' "$HTTP_TIMEOUT_S" >> "$curl_config"

log() { printf '%s connect-watchdog: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { log "error: $tool is required" >&2; exit 1; }
done

# One line per failed connector: "<name>\t<first trace line>" (the connector's or a task's).
failed='to_entries[] | .value.status
  | select(.connector.state == "FAILED" or any((.tasks // [])[]; .state == "FAILED"))
  | [.name, ((([.connector] + (.tasks // [])) | map(select(.state == "FAILED"))[0].trace // "FAILED") | split("\n")[0])]
  | @tsv'

# state <name> <field>: a number kept in STATE_DIR (0 when unset). Names are connector names
# (letters, digits, '-', '_', '.'), safe as file names.
state() { cat "$STATE_DIR/$1.$2" 2>/dev/null || echo 0; }
set_state() { printf '%s' "$3" > "$STATE_DIR/$1.$2"; }

restart() {
  name=$1 trace=$2 now=$(date +%s)
  [ "$now" -ge "$(state "$name" next)" ] || return 0
  count=$(( $(state "$name" count) + 1 ))
  delay=$(state "$name" delay)
  delay=$(( delay == 0 ? POLL_S : delay * 2 ))
  [ "$delay" -le "$MAX_BACKOFF_S" ] || delay=$MAX_BACKOFF_S
  set_state "$name" count "$count"
  set_state "$name" delay "$delay"
  set_state "$name" next $(( now + delay ))
  log "restart #$count of $name; next one no sooner than ${delay}s ($trace)"
  if ! out=$(curl -K "$curl_config" -sS --fail-with-body -X POST \
      "$CONNECT_URL/connectors/$name/restart?includeTasks=true&onlyFailed=true" 2>&1); then
    log "error: could not restart $name: $(printf '%s' "$out" | tr '\n' ' ')" >&2
  fi
}

log "watching $CONNECT_URL every ${POLL_S}s (backoff up to ${MAX_BACKOFF_S}s)"
while :; do
  if statuses=$(curl -K "$curl_config" -sS --fail-with-body "$CONNECT_URL/connectors?expand=status" 2>&1); then
    now_failed=$(printf '%s' "$statuses" | jq -r "$failed") || { log "error: unexpected answer from Connect: $statuses" >&2; now_failed=''; }
    # A connector running again starts over at the shortest delay (its restart count is kept).
    for file in "$STATE_DIR"/*.delay; do
      [ -e "$file" ] || continue
      name=$(basename "$file" .delay)
      printf '%s\n' "$now_failed" | cut -f1 | grep -qxF "$name" || { rm -f "$file" "$STATE_DIR/$name.next"; }
    done
    # (An if, not `[ -n … ] && …`: under set -e a false test as the loop's last command ends the script.)
    printf '%s\n' "$now_failed" | while IFS="$(printf '\t')" read -r name trace; do
      if [ -n "$name" ]; then restart "$name" "$trace"; fi
    done
  else
    log "error: cannot read connector states from $CONNECT_URL: $(printf '%s' "$statuses" | tr '\n' ' ')" >&2
  fi
  sleep "$POLL_S"
done
