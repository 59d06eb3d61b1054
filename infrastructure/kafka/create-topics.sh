#!/bin/sh
# Creates the pipeline's topics with 6 partitions, dead-letter topics kept 30 days so a record
# dead-lettered before a fix can be replayed after it (`polluscope dlq replay`), and gives an
# existing dead-letter topic that retention, and the services' changelogs compacted (only each
# participant's latest snapshot is kept; docs/stream-runtime.md, "Changelog"). Compose's one-shot `create-topics` runs it; the
# embedded stack does the same from services/common/src/topics.ts (a unit test keeps both equal).
# It logs in as the `admin` principal (KAFKA_CLIENT_USER / KAFKA_CLIENT_PASSWORD, client-config.sh).
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:29092}"
. "$(dirname "$0")/client-config.sh"
PARTITIONS=6
TOPICS="raw.sensor raw.gps sensor.clean activity.segments gps.clean gps.dropped gps.episodes activity.timeline exposure.daily review.decisions"
DEAD_LETTER_TOPICS="dlq.classification-validation dlq.timeseries-preprocessing dlq.gps-preprocessing dlq.postprocessing dlq.stop-move-detection"
DEAD_LETTER_RETENTION_MS=2592000000
CHANGELOG_TOPICS="stop-move-detection.changelog"

for topic in $TOPICS; do
  kafka-topics --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --create --if-not-exists --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1
done
for topic in $DEAD_LETTER_TOPICS; do
  kafka-topics --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --create --if-not-exists --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 \
    --config "retention.ms=$DEAD_LETTER_RETENTION_MS"
  kafka-configs --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --alter --entity-type topics --entity-name "$topic" --add-config "retention.ms=$DEAD_LETTER_RETENTION_MS"
done
for topic in $CHANGELOG_TOPICS; do
  kafka-topics --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --create --if-not-exists --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 \
    --config "cleanup.policy=compact"
  kafka-configs --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_CONFIG" --alter --entity-type topics --entity-name "$topic" --add-config "cleanup.policy=compact"
done
echo "topics ready: $TOPICS $DEAD_LETTER_TOPICS $CHANGELOG_TOPICS"
