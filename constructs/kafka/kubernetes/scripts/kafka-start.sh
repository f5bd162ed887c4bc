#!/bin/sh
# What every Kafka container runs (as `sh -c`), the same text for every role and cluster, once the `kafka-format`
# init container has formatted its storage. Its parameters are the container's environment: POD_NAME (downward API)
# and KAFKA_NODE_ROLE; heap and JVM options come from KAFKA_HEAP_OPTS/KAFKA_OPTS. It picks this pod's pre-rendered
# config and execs Kafka, so that Kafka is PID 1 and receives SIGTERM for a controlled shutdown.
set -eu
config="/etc/kafka/nodes/${POD_NAME}.properties"
if [ ! -f "$config" ]; then
  echo "no Kafka config for pod ${POD_NAME} in /etc/kafka/nodes: is the ${KAFKA_NODE_ROLE} StatefulSet scaled beyond the environment spec?" >&2
  exit 1
fi
# Without -loggc, kafka-server-start.sh writes no GC log files to the (size-limited) log volume.
export EXTRA_ARGS='-name kafkaServer'
exec /opt/kafka/bin/kafka-server-start.sh "$config"
