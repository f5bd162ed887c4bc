#!/bin/sh
# What every Kafka container runs (as `sh -c`), the same text for every role and cluster. Its parameters are the
# container's environment, set by the model (kafkaStartEnvironment): POD_NAME (downward API), KAFKA_NODE_ROLE,
# KAFKA_CLUSTER_ID and, where storage formatting creates the first admin (KIP-900), KAFKA_ADMIN_USER with the
# password in KAFKA_ADMIN_PASSWORD (a Secret reference). Heap and JVM options come from KAFKA_HEAP_OPTS/KAFKA_OPTS.
# 1. pick this pod's pre-rendered config; fail loudly when the pod has none (a StatefulSet scaled by hand);
# 2. format storage with the environment's cluster id: --ignore-formatted makes it a no-op on every later start,
#    and a volume formatted for another cluster id makes Kafka refuse to start instead of joining the wrong cluster;
# 3. exec Kafka so it is PID 1 and receives SIGTERM for a controlled shutdown.
set -eu
config="/etc/kafka/nodes/${POD_NAME}.properties"
if [ ! -f "$config" ]; then
  echo "no Kafka config for pod ${POD_NAME} in /etc/kafka/nodes: is the ${KAFKA_NODE_ROLE} StatefulSet scaled beyond the environment spec?" >&2
  exit 1
fi
set -- format --cluster-id "$KAFKA_CLUSTER_ID" --config "$config" --ignore-formatted
if [ -n "${KAFKA_ADMIN_USER:-}" ]; then
  # --add-scram takes [name=...,password=...] and cuts at commas and brackets, so a password holding one would be
  # silently truncated: stop with a clear message instead. The password is expanded here, never in a manifest.
  case "${KAFKA_ADMIN_PASSWORD:?KAFKA_ADMIN_PASSWORD is not set}" in
    *[],[\"\'=[:space:]]*) echo "KAFKA_ADMIN_PASSWORD holds a character --add-scram cannot take (, [ ] = quotes or spaces)" >&2; exit 1 ;;
  esac
  set -- "$@" --add-scram "SCRAM-SHA-512=[name=${KAFKA_ADMIN_USER},password=${KAFKA_ADMIN_PASSWORD}]"
fi
/opt/kafka/bin/kafka-storage.sh "$@"
# Without -loggc, kafka-server-start.sh writes no GC log files to the (size-limited) log volume.
export EXTRA_ARGS='-name kafkaServer'
exec /opt/kafka/bin/kafka-server-start.sh "$config"
