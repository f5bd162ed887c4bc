#!/bin/sh
# What the `kafka-format` init container of every Kafka pod runs (as `sh -c`) before Kafka starts: it formats the
# pod's storage with the environment's cluster id. `--ignore-formatted` makes that a no-op on every later start, and
# a volume formatted for another cluster id makes Kafka refuse to start instead of joining the wrong cluster.
# Parameters are the container's environment, set by the model (kafkaFormatEnvironment): POD_NAME (downward API),
# KAFKA_NODE_ROLE, KAFKA_CLUSTER_ID and, on controllers of a SCRAM cluster, KAFKA_ADMIN_USER with the password in
# KAFKA_ADMIN_PASSWORD (a Secret reference): the first admin exists before the cluster serves a request (KIP-900).
# The password is read only while the storage is still unformatted; it never reaches the Kafka container.
set -eu
config="/etc/kafka/nodes/${POD_NAME}.properties"
if [ ! -f "$config" ]; then
  echo "no Kafka config for pod ${POD_NAME} in /etc/kafka/nodes: is the ${KAFKA_NODE_ROLE} StatefulSet scaled beyond the environment spec?" >&2
  exit 1
fi
set -- format --cluster-id "$KAFKA_CLUSTER_ID" --config "$config" --ignore-formatted
log_dir="$(sed -n 's/^log\.dirs=//p' "$config")"
if [ -n "${KAFKA_ADMIN_USER:-}" ] && [ ! -f "$log_dir/meta.properties" ]; then
  # --add-scram takes [name=...,password=...] and cuts at commas and brackets, so a password holding one would be
  # silently truncated: stop with a clear message instead. The password is expanded here, never in a manifest.
  case "${KAFKA_ADMIN_PASSWORD:?KAFKA_ADMIN_PASSWORD is not set}" in
    *[],[\"\'=[:space:]]*) echo "KAFKA_ADMIN_PASSWORD holds a character --add-scram cannot take (, [ ] = quotes or spaces)" >&2; exit 1 ;;
  esac
  set -- "$@" --add-scram "SCRAM-SHA-512=[name=${KAFKA_ADMIN_USER},password=${KAFKA_ADMIN_PASSWORD}]"
fi
exec /opt/kafka/bin/kafka-storage.sh "$@"
