#!/bin/sh
# Sourced by the Compose one-shots that talk to the broker as a SCRAM principal: writes the
# Kafka tools' client settings for KAFKA_CLIENT_USER / KAFKA_CLIENT_PASSWORD to a file readable by
# this container's user only, and sets CLIENT_CONFIG to its path (kafka-topics, kafka-configs and
# kafka-acls take it as --command-config).
: "${KAFKA_CLIENT_USER:?KAFKA_CLIENT_USER must name the principal}"
: "${KAFKA_CLIENT_PASSWORD:?KAFKA_CLIENT_PASSWORD must be set (see .env.example)}"
CLIENT_CONFIG="$(mktemp)"
chmod 0600 "$CLIENT_CONFIG"
cat > "$CLIENT_CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_CLIENT_USER" password="$KAFKA_CLIENT_PASSWORD";
PROPERTIES
# The tools are JVMs: a small heap, and no JMX agent of the image.
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms32m -Xmx256m}"
