#!/bin/bash
# Installs the CloudWatch agent from the Amazon Linux repositories and starts it with cloud-init's config. A failure
# is a gauge (KafkaVmLogShippingFailed) and exit 1: kafka-bootstrap.sh starts Kafka anyway.
set -euo pipefail
# shellcheck source=/dev/null
. /etc/kafka/bootstrap.env

gauge() {
  install -d -m 0755 "$NODE_EXPORTER_TEXTFILE_DIR"
  printf '# TYPE kafka_log_shipping_failed gauge\nkafka_log_shipping_failed %s\n' "$1" >"$NODE_EXPORTER_TEXTFILE_DIR/kafka-log-shipping.prom.tmp"
  mv "$NODE_EXPORTER_TEXTFILE_DIR/kafka-log-shipping.prom.tmp" "$NODE_EXPORTER_TEXTFILE_DIR/kafka-log-shipping.prom"
}

# Bounded, so an unreachable repository cannot hold up Kafka's start.
if { rpm -q amazon-cloudwatch-agent >/dev/null 2>&1 || timeout 600 dnf install -y --quiet amazon-cloudwatch-agent; } &&
  timeout 120 /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/etc/kafka/cloudwatch-agent.json &&
  systemctl is-active --quiet amazon-cloudwatch-agent; then
  gauge 0
else
  echo "kafka-log-shipping: WARNING: the CloudWatch agent did not start; logs stay on this node" >&2
  gauge 1
  exit 1
fi
