#!/bin/sh
# Entrypoint of the Compose Connect worker: the REST API's login, then Confluent's start script.
# Kafka's BasicAuthSecurityRestExtension (CONNECT_REST_EXTENSION_CLASSES, in the Dockerfile) checks
# every request against PropertyFileLoginModule, whose JAAS file (named by KAFKA_OPTS'
# -Djava.security.auth.login.config) and credentials file are written here from REST_LOGIN_USER
# and REST_LOGIN_PASSWORD. Those two variables are then unset, so the worker's environment, which
# connectors read through ${env:…}, does not hold them (their names are outside the env provider's
# POLLUSCOPE_.* allowlist as well).
set -eu
: "${REST_LOGIN_USER:?REST_LOGIN_USER must be set (POLLUSCOPE_CONNECT_REST_USER in .env)}"
: "${REST_LOGIN_PASSWORD:?REST_LOGIN_PASSWORD must be set (POLLUSCOPE_CONNECT_REST_PASSWORD in .env)}"
LOGIN_DIR="${REST_LOGIN_DIR:-/var/lib/polluscope/connect-rest}"

umask 077
printf '%s: %s\n' "$REST_LOGIN_USER" "$REST_LOGIN_PASSWORD" > "$LOGIN_DIR/credentials.properties"
cat > "$LOGIN_DIR/jaas.conf" <<JAAS
KafkaConnect {
  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
  file="$LOGIN_DIR/credentials.properties";
};
JAAS
unset REST_LOGIN_USER REST_LOGIN_PASSWORD
exec "$@"
