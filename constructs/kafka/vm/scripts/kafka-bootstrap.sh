#!/bin/bash
# Prepares this instance for Kafka once: cloud-init runs it on the first boot of every new instance. Re-running is
# safe: the data volume is formatted only when blank and Kafka storage only when unformatted, so a replaced instance
# picks up the data volume of its predecessor.
set -euo pipefail
# The node's facts, written by cloud-init beside this script (VM_FILES.bootstrapEnv).
# shellcheck source=/dev/null
. /etc/kafka/bootstrap.env
export AWS_DEFAULT_REGION
log() { echo "kafka-bootstrap: $*" >&2; }

# Download $1 (https:// or s3://) to $2.
fetch() {
  case "$1" in
    s3://*) aws s3 cp --only-show-errors "$1" "$2" ;;
    *) curl --fail --silent --show-error --location --retry 5 --proto '=https' -o "$2" "$1" ;;
  esac
}

# The data volume's device. The volume is attached after the instance starts, so wait for it; on Nitro instances
# it appears as NVMe, and ebsnvme-id maps it back to the device name it was attached as.
find_data_device() {
  local attempt nvme
  for attempt in $(seq 1 120); do
    if [ -b "$DATA_DEVICE" ]; then readlink -f "$DATA_DEVICE"; return 0; fi
    for nvme in /dev/nvme*n1; do
      [ -b "$nvme" ] || continue
      if [ "$(ebsnvme-id -b "$nvme" 2>/dev/null | sed 's|^/dev/||')" = "${DATA_DEVICE#/dev/}" ]; then echo "$nvme"; return 0; fi
    done
    log "waiting for the data volume ($attempt/120)"
    sleep 5
  done
  return 1
}

# First, so the agent ships the rest of the boot; without it Kafka still starts (KafkaVmLogShippingFailed fires).
if [ "$LOG_SHIPPING_ENABLED" = true ]; then
  /usr/local/sbin/kafka-log-shipping.sh || log "WARNING: continuing without log shipping"
fi

log "installing $JAVA_PACKAGE"
dnf install -y --quiet "$JAVA_PACKAGE" xfsprogs openssl python3
id kafka >/dev/null 2>&1 || useradd --system --home-dir "$KAFKA_HOME" --no-create-home --shell /sbin/nologin kafka

device="$(find_data_device)" || { log "data volume $DATA_DEVICE never appeared"; exit 1; }
if ! blkid "$device" >/dev/null 2>&1; then
  log "formatting blank data volume $device as XFS"
  mkfs.xfs -L "$DATA_LABEL" "$device"
fi
mkdir -p "$DATA_MOUNT"
grep -q "^LABEL=$DATA_LABEL " /etc/fstab || echo "LABEL=$DATA_LABEL $DATA_MOUNT xfs defaults,noatime,nofail 0 2" >> /etc/fstab
mountpoint -q "$DATA_MOUNT" || mount "$DATA_MOUNT"
mkdir -p "$KAFKA_LOG_DIR" /var/log/kafka
chown -R kafka:kafka "$DATA_MOUNT" /var/log/kafka

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
release="/opt/kafka_2.13-$KAFKA_VERSION"
if [ ! -x "$release/bin/kafka-server-start.sh" ]; then
  log "installing Kafka $KAFKA_VERSION from $KAFKA_ARCHIVE_URL"
  fetch "$KAFKA_ARCHIVE_URL" "$work/kafka.tgz"
  # The digest is pinned in the package or the spec, never fetched from where the tarball came from.
  case "$KAFKA_ARCHIVE_DIGEST_ALGORITHM" in
    sha256) echo "$KAFKA_ARCHIVE_DIGEST  $work/kafka.tgz" | sha256sum --check --quiet - ;;
    sha512) echo "$KAFKA_ARCHIVE_DIGEST  $work/kafka.tgz" | sha512sum --check --quiet - ;;
    *) log "unknown digest algorithm $KAFKA_ARCHIVE_DIGEST_ALGORITHM"; exit 1 ;;
  esac
  tar -xzf "$work/kafka.tgz" -C /opt
  chown -R root:root "$release"
fi
ln -sfn "$release" "$KAFKA_HOME"

if [ "$JMX_EXPORTER_ENABLED" = true ] && [ ! -f "$JMX_EXPORTER_JAR" ]; then
  log "installing the JMX exporter agent"
  fetch "$JMX_EXPORTER_URL" "$work/agent.jar"
  echo "$JMX_EXPORTER_SHA256  $work/agent.jar" | sha256sum --check --quiet -
  install -D -m 0644 "$work/agent.jar" "$JMX_EXPORTER_JAR"
fi

# node_exporter: disk and certificate alerts read it. The tarball for this CPU, checked before it is unpacked.
if [ "$NODE_EXPORTER_ENABLED" = true ]; then
  if [ ! -x "$NODE_EXPORTER_BINARY" ]; then
    case "$(uname -m)" in
      x86_64) url="$NODE_EXPORTER_AMD64_URL" digest="$NODE_EXPORTER_AMD64_SHA256" ;;
      aarch64) url="$NODE_EXPORTER_ARM64_URL" digest="$NODE_EXPORTER_ARM64_SHA256" ;;
      *) log "no node_exporter build for $(uname -m)"; exit 1 ;;
    esac
    log "installing node_exporter from $url"
    fetch "$url" "$work/node_exporter.tgz"
    echo "$digest  $work/node_exporter.tgz" | sha256sum --check --quiet -
    mkdir "$work/node_exporter"
    tar -xzf "$work/node_exporter.tgz" -C "$work/node_exporter" --strip-components=1
    install -D -m 0755 "$work/node_exporter/node_exporter" "$NODE_EXPORTER_BINARY"
  fi
  install -d -m 0755 "$NODE_EXPORTER_TEXTFILE_DIR"
fi

sysctl --system >/dev/null
/usr/local/sbin/kafka-tls.sh

format=("$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$KAFKA_CONFIG" --ignore-formatted)
if [ -n "$ADMIN_SECRET" ] && [ ! -f "$KAFKA_LOG_DIR/meta.properties" ]; then
  # The first admin exists before the cluster serves a request (KIP-900). Only an unformatted controller reads the
  # password (a replacement instance that picks up a formatted volume does not). The secret holds it as plain text
  # or as JSON {"password": ...}.
  secret="$(aws secretsmanager get-secret-value --secret-id "$ADMIN_SECRET" --query SecretString --output text)"
  password="$(printf '%s' "$secret" | python3 -c 'import json,sys
raw=sys.stdin.read()
try:
    print(json.loads(raw)["password"])
except (ValueError, KeyError, TypeError):
    print(raw)')"
  format+=(--add-scram "SCRAM-SHA-512=[name=$ADMIN_USER,password=$password]")
fi
log "formatting Kafka storage (skipped when already formatted)"
# LOG_DIR: the tool would otherwise try to create logs/ inside the root-owned release.
runuser -u kafka -- env LOG_DIR=/var/log/kafka "${format[@]}"

systemctl daemon-reload
if [ "$NODE_EXPORTER_ENABLED" = true ]; then systemctl enable --now node-exporter.service; fi
systemctl enable --now kafka.service
if [ "$RECONCILE_ENABLED" = true ]; then systemctl enable --now kafka-reconcile.timer; fi
log "done"
