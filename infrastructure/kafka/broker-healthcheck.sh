#!/bin/sh
# Healthcheck of the Compose broker: the admin tool asks for the API versions on the broker's own
# listener, logged in with the broker's inter-broker credentials (already in its environment).
# The tool is a JVM: not with the broker's 1 GB heap, not with its JMX agent on port 9404.
set -eu
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
chmod 0600 "$config"
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\n' \
  "$KAFKA_LISTENER_NAME_BROKER_SCRAM___SHA___512_SASL_JAAS_CONFIG" > "$config"
KAFKA_HEAP_OPTS='-Xms16m -Xmx64m' KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1' KAFKA_OPTS= \
  kafka-broker-api-versions --bootstrap-server 127.0.0.1:29093 --command-config "$config" >/dev/null
