#!/bin/sh
# The ACLs of the Compose stack's Kafka principals (docs/security.md, "Compose"). The broker
# refuses whatever no ACL allows (allow.everyone.if.no.acl.found=false); `broker` and `admin` are
# its super users. Each service reads its inputs, writes its outputs and its dead-letter topic and
# uses its own consumer group, as the topic registry says (services/common/src/topics.ts; a unit
# test keeps the lists below equal to it and to connectors/*.json). Compose's one-shot
# `kafka-acls` runs it as `admin` once the broker is up; re-running it is harmless.
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:29092}"
. "$(dirname "$0")/client-config.sh"

allow() { # principal, then kafka-acls resource and operation options
  principal="$1"
  shift
  kafka-acls --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --add --allow-principal "User:$principal" "$@" >/dev/null
}
topics() { # "a b c" -> --topic a --topic b --topic c
  for topic in $1; do printf ' --topic %s' "$topic"; done
}

# service <name> "<input topics>" "<output topics>": reads its inputs, writes its outputs and
# dlq.<name>, commits in the group <name> (its GROUP_ID default).
service() {
  allow "$1" --operation Read --operation Describe $(topics "$2")
  allow "$1" --operation Write --operation Describe $(topics "$3 dlq.$1")
  allow "$1" --operation Read --group "$1"
  echo "kafka-acls: $1"
}
service classification-validation "sensor.clean" "activity.segments"
service timeseries-preprocessing "raw.sensor" "sensor.clean"
service gps-preprocessing "raw.gps" "gps.clean gps.dropped"
service postprocessing "activity.segments gps.episodes review.decisions" "activity.timeline exposure.daily review.decisions"
service stop-move-detection "gps.clean" "gps.episodes"

# changelog <name>: writes its compacted <name>.changelog and reads it back on assignment through
# throwaway groups <name>.changelog-restore-<uuid> that never commit (docs/stream-runtime.md, "Changelog").
changelog() {
  allow "$1" --operation Read --operation Write --operation Describe --topic "$1.changelog"
  allow "$1" --operation Read --resource-pattern-type prefixed --group "$1.changelog-restore-"
  echo "kafka-acls: $1 changelog"
}
changelog stop-move-detection

# Kafka Connect: its group and internal topics (checked to be compacted, hence DescribeConfigs),
# the change-data-capture source's raw topics and its heartbeat topic (created by the worker),
# and each JDBC sink's topics and group connect-<connector name>.
allow connect --operation Read --group polluscope-connect
allow connect --operation Read --operation Write --operation Describe --operation Create --operation DescribeConfigs \
  $(topics "_connect-configs _connect-offsets _connect-status")
allow connect --operation Write --operation Describe $(topics "raw.sensor raw.gps")
allow connect --operation Write --operation Describe --operation Create --topic __debezium-heartbeat.rawdata
sink() { # sink <connector name> "<topics>"
  allow connect --operation Read --operation Describe $(topics "$2")
  allow connect --operation Read --group "connect-$1"
}
sink warehouse-sink-points "sensor.clean gps.clean gps.dropped"
sink warehouse-sink-segments "activity.segments activity.timeline"
sink warehouse-sink-reviews "review.decisions"
sink warehouse-sink-episodes "gps.episodes"
sink warehouse-sink-exposure "exposure.daily"
allow connect --operation Describe --cluster
echo "kafka-acls: connect"

# Apicurio Registry's kafkasql storage: its journal, snapshots and events topics (created and
# checked at start), and a consumer group apicurio-<random> per start.
allow registry --operation Read --operation Write --operation Describe --operation Create --operation DescribeConfigs \
  $(topics "kafkasql-journal kafkasql-snapshots registry-events")
allow registry --operation Read --resource-pattern-type prefixed --group apicurio-
allow registry --operation Describe --cluster
echo "kafka-acls: registry"

# Kafka-UI: reads every topic and describes groups and configuration; writes nothing.
allow ui --operation Read --operation Describe --operation DescribeConfigs --topic '*'
allow ui --operation Describe --group '*'
allow ui --operation Describe --operation DescribeConfigs --cluster
echo "kafka-acls: ui"

# kafka-exporter: offsets of every topic and group, no record.
allow exporter --operation Describe --topic '*'
allow exporter --operation Describe --group '*'
allow exporter --operation Describe --cluster
echo "kafka-acls: exporter"
