#!/bin/sh
# SCRAM-SHA-512 credentials of every Kafka principal of the Compose stack, written to ZooKeeper
# before the broker starts: the broker's own inter-broker login must exist before it can talk to
# itself (Kafka's "Configuring SCRAM" documentation creates it this way). Compose's one-shot
# `kafka-users` runs it; re-running it replaces each password with the one in .env.
# The principals and what each may do: docs/security.md ("Compose"), create-acls.sh.
set -eu
ZOOKEEPER="${ZOOKEEPER:-zookeeper:2181}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms32m -Xmx256m}"

# principal=variable holding its password (one principal per service, as in create-acls.sh).
USERS="
broker=POLLUSCOPE_KAFKA_BROKER_PASSWORD
admin=POLLUSCOPE_KAFKA_ADMIN_PASSWORD
classification-validation=POLLUSCOPE_KAFKA_CLASSIFICATION_VALIDATION_PASSWORD
timeseries-preprocessing=POLLUSCOPE_KAFKA_TIMESERIES_PREPROCESSING_PASSWORD
gps-preprocessing=POLLUSCOPE_KAFKA_GPS_PREPROCESSING_PASSWORD
postprocessing=POLLUSCOPE_KAFKA_POSTPROCESSING_PASSWORD
stop-move-detection=POLLUSCOPE_KAFKA_STOP_MOVE_DETECTION_PASSWORD
connect=POLLUSCOPE_KAFKA_CONNECT_PASSWORD
registry=POLLUSCOPE_KAFKA_REGISTRY_PASSWORD
ui=POLLUSCOPE_KAFKA_UI_PASSWORD
exporter=POLLUSCOPE_KAFKA_EXPORTER_PASSWORD
"

for entry in $USERS; do
  principal="${entry%%=*}"
  variable="${entry#*=}"
  # The variable's name comes from the fixed list above, never from input.
  eval "password=\${$variable:-}"
  if [ -z "$password" ]; then
    echo "kafka-users: $variable is not set (see .env.example)" >&2
    exit 1
  fi
  kafka-configs --zookeeper "$ZOOKEEPER" --alter --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[password=$password]" >/dev/null
  echo "kafka-users: $principal"
done
