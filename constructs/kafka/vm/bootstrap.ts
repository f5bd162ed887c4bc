import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { ADMIN_USER, type ClusterModel, rolePrincipalName } from '../model/cluster-model';
import type { ResolvedSpec, VmRuntime } from '../spec/environment-spec';
import { JMX_EXPORTER_MAVEN_URL, JMX_EXPORTER_SHA256, JMX_EXPORTER_VERSION, jmxExporterJavaAgentOption } from '../monitoring/jmx-exporter-agent';
import { KAFKA_PATHS } from '../model/paths';
import { awsSecretName } from '../model/names';
import { heapOptions, renderServerProperties } from '../config/server-properties';
import type { NodeRole } from '../model/sizing';
import type { KafkaNode } from '../model/topology';

/**
 * cloud-init user data of a Kafka node on EC2. The node's server.properties is written byte for byte as the shared
 * renderer produced it (the same bytes as `dist/<env>/kafka/<node>.properties`); everything node-specific the scripts
 * need sits in one sourced env file, so the scripts themselves are identical on every node.
 *
 * Secrets never appear here: the node reads the admin password and the CA from Secrets Manager at boot, and creates
 * its TLS private key itself, so no key ever passes through Terraform state.
 */

/** Device name the data volume is attached as; Nitro instances expose it as NVMe, found through its EBS mapping. */
export const DATA_VOLUME_DEVICE = '/dev/sdf';
/** Mount point of the data volume: the parent of both `log.dirs` (brokers) and the metadata dir (controllers). */
export const DATA_VOLUME_MOUNT = '/var/lib/kafka';
/** Label of the XFS file system on the data volume; fstab mounts by it, so device renames do not matter. */
export const DATA_VOLUME_LABEL = 'kafka-data';
/** Where the Kafka release is unpacked; `/opt/kafka` links to the active one. */
export const VM_KAFKA_HOME = '/opt/kafka';
/** Certificates are valid for 397 days (the CA/Browser maximum) and renewed when fewer than 30 are left. */
export const VM_CERTIFICATE_DAYS = 397;
export const VM_CERTIFICATE_RENEW_DAYS = 30;

export const VM_FILES = {
  bootstrapEnv: '/etc/kafka/bootstrap.env',
  kafkaEnv: '/etc/kafka/kafka.env',
  bootstrapScript: '/usr/local/sbin/kafka-bootstrap.sh',
  tlsScript: '/usr/local/sbin/kafka-tls.sh',
  systemdUnit: '/etc/systemd/system/kafka.service',
  sysctl: '/etc/sysctl.d/90-kafka.conf',
  limits: '/etc/security/limits.d/90-kafka.conf',
} as const;

/** A file cloud-init writes. */
export interface VmFile {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
}

export interface VmBootstrapOptions {
  /** The JMX exporter rules (`dist/<env>/monitoring/jmx-exporter.yaml`); needed when monitoring is enabled. */
  readonly jmxExporterConfig?: string;
}

/** Where a node downloads an artifact from: an https URL or an `s3://` object of the mirror. */
export interface ArtifactSource {
  readonly url: string;
  /** Expected digest; undefined means "check against `checksumUrl`". */
  readonly digest?: string;
  readonly checksumUrl?: string;
}

export function kafkaArchiveName(version: string): string {
  return `kafka_2.13-${version}.tgz`;
}

/** The Kafka tarball of a VM environment: the S3 mirror, the spec's URL, or Apache's archive. */
export function kafkaArchiveSource(spec: ResolvedSpec, runtime: VmRuntime): ArtifactSource {
  const archive = kafkaArchiveName(spec.kafka.version);
  const apache = `https://archive.apache.org/dist/kafka/${spec.kafka.version}/${archive}`;
  const { sha512, url } = runtime.kafkaDistribution;
  if (runtime.artifactMirror) return { url: `s3://${runtime.artifactMirror.bucket}/${runtime.artifactMirror.prefix}/${archive}`, digest: sha512 };
  return sha512 ? { url: url ?? apache, digest: sha512 } : { url: url ?? apache, checksumUrl: `${apache}.sha512` };
}

/** The JMX exporter jar: the pinned Maven Central release, or its copy in the mirror; always SHA-256-checked. */
export function jmxExporterJarSource(runtime: VmRuntime): ArtifactSource {
  const mirror = runtime.artifactMirror;
  const url = mirror ? `s3://${mirror.bucket}/${mirror.prefix}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar` : JMX_EXPORTER_MAVEN_URL;
  return { url, digest: JMX_EXPORTER_SHA256 };
}

function vmRuntimeOf(spec: ResolvedSpec): VmRuntime {
  if (spec.runtime.kind !== 'vm') throw new Error(`environment ${spec.name} does not run on VMs`);
  return spec.runtime;
}

/** Values are written single-quoted into a sourced shell file: anything that could break out of quotes is a bug upstream. */
function shellValue(name: string, value: string | number | boolean): string {
  const text = String(value);
  if (!/^[A-Za-z0-9._:/@=+,%~ -]*$/.test(text)) throw new Error(`${name} = ${JSON.stringify(text)} cannot be written to a shell env file`);
  return `${name}='${text}'`;
}

/**
 * The Secrets Manager secrets a node of `role` reads at boot, and nothing else: the CA (bring-your-own CA with TLS)
 * and, on controllers of a SCRAM cluster, the admin password written at storage format time.
 */
export function vmSecretNames(model: ClusterModel, role: NodeRole): { ca?: string; admin?: string } {
  const { spec } = model;
  const runtime = vmRuntimeOf(spec);
  const tls = model.listeners.some((listener) => listener.tls);
  const admin = role === 'controller' && spec.kafka.listeners.client.authentication === 'scram-sha-512';
  return {
    ...(tls && runtime.certificateAuthority.kind === 'secrets-manager' ? { ca: awsSecretName(spec, 'tls', 'ca') } : {}),
    ...(admin ? { admin: awsSecretName(spec, 'users', ADMIN_USER) } : {}),
  };
}

/** The node facts the scripts read, as `NAME='value'` lines. */
export function bootstrapEnv(model: ClusterModel, node: KafkaNode): string {
  const { spec } = model;
  const runtime = vmRuntimeOf(spec);
  const kafka = kafkaArchiveSource(spec, runtime);
  const jar = jmxExporterJarSource(runtime);
  const tls = model.listeners.some((listener) => listener.tls);
  // Only controllers need the admin password: SCRAM credentials written at format time live in the metadata log.
  const secrets = vmSecretNames(model, node.role);
  const ca = runtime.certificateAuthority;
  const entries: [string, string | number | boolean][] = [
    ['AWS_DEFAULT_REGION', spec.aws.region],
    ['NODE_NAME', node.name],
    ['NODE_ROLE', node.role],
    ['NODE_HOST', node.host],
    ['CLUSTER_ID', spec.kafka.clusterId],
    ['KAFKA_VERSION', spec.kafka.version],
    ['KAFKA_HOME', VM_KAFKA_HOME],
    ['KAFKA_CONFIG', KAFKA_PATHS.configFile],
    ['KAFKA_LOG_DIR', node.role === 'broker' ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir],
    ['KAFKA_ARCHIVE_URL', kafka.url],
    ['KAFKA_ARCHIVE_SHA512', kafka.digest ?? ''],
    ['KAFKA_ARCHIVE_SHA512_URL', kafka.checksumUrl ?? ''],
    ['JMX_EXPORTER_ENABLED', spec.monitoring.enabled],
    ['JMX_EXPORTER_URL', jar.url],
    ['JMX_EXPORTER_SHA256', jar.digest ?? ''],
    ['JMX_EXPORTER_JAR', KAFKA_PATHS.jmxExporterJar],
    ['JAVA_PACKAGE', runtime.javaPackage],
    ['DATA_DEVICE', DATA_VOLUME_DEVICE],
    ['DATA_MOUNT', DATA_VOLUME_MOUNT],
    ['DATA_LABEL', DATA_VOLUME_LABEL],
    ['TLS_ENABLED', tls],
    ['TLS_DIR', KAFKA_PATHS.tlsDir],
    ['TLS_PRINCIPAL', rolePrincipalName(spec, node.role)],
    ['TLS_DAYS', VM_CERTIFICATE_DAYS],
    ['TLS_RENEW_SECONDS', VM_CERTIFICATE_RENEW_DAYS * 86400],
    ['CA_KIND', ca.kind],
    ['CA_SECRET', secrets.ca ?? ''],
    ['CA_ARN', ca.kind === 'private-ca' ? ca.arn : ''],
    ['ADMIN_USER', secrets.admin ? ADMIN_USER : ''],
    ['ADMIN_SECRET', secrets.admin ?? ''],
  ];
  return `# Facts of ${node.name} read by the Kafka bootstrap scripts. Generated; no secrets.\n${entries.map(([name, value]) => shellValue(name, value)).join('\n')}\n`;
}

/** Runs once per instance (cloud-init runcmd): packages, data volume, Kafka release, storage format, service. */
export const BOOTSTRAP_SCRIPT = `#!/bin/bash
# Prepares this instance for Kafka once: cloud-init runs it on the first boot of every new instance. Re-running is
# safe: the data volume is formatted only when blank and Kafka storage only when unformatted, so a replaced instance
# picks up the data volume of its predecessor.
set -euo pipefail
. ${VM_FILES.bootstrapEnv}
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
      if [ "$(ebsnvme-id -b "$nvme" 2>/dev/null | sed 's|^/dev/||')" = "\${DATA_DEVICE#/dev/}" ]; then echo "$nvme"; return 0; fi
    done
    log "waiting for the data volume ($attempt/120)"
    sleep 5
  done
  return 1
}

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
  expected="$KAFKA_ARCHIVE_SHA512"
  if [ -z "$expected" ]; then
    fetch "$KAFKA_ARCHIVE_SHA512_URL" "$work/kafka.tgz.sha512"
    # Apache's format: "<file>: 1234 ABCD ..." over several lines.
    expected="$(cut -d: -f2- "$work/kafka.tgz.sha512" | tr -d ' \\n\\r\\t' | tr 'A-F' 'a-f')"
  fi
  echo "$expected  $work/kafka.tgz" | sha512sum --check --quiet -
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

sysctl --system >/dev/null
${VM_FILES.tlsScript}

format=("$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$KAFKA_CONFIG" --ignore-formatted)
if [ -n "$ADMIN_SECRET" ]; then
  # The first admin exists before the cluster serves a request (KIP-900). The secret holds the password as plain
  # text or as JSON {"password": ...}.
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
runuser -u kafka -- env LOG_DIR=/var/log/kafka "\${format[@]}"

systemctl daemon-reload
systemctl enable --now kafka.service
log "done"
`;

/** Runs before every start of Kafka: gives the node a certificate with a key created here, renewed near expiry. */
export const TLS_SCRIPT = `#!/bin/bash
# Creates this node's private key on the node and has the CA sign a certificate for its DNS name, so no key ever
# leaves the instance or enters Terraform state. Runs before every start of kafka.service; Kafka reads the PEM files
# at start, so a renewed certificate takes effect with the next restart.
set -euo pipefail
. ${VM_FILES.bootstrapEnv}
export AWS_DEFAULT_REGION
[ "$TLS_ENABLED" = true ] || exit 0
install -d -m 0750 -o root -g kafka "$TLS_DIR"
if [ -s "$TLS_DIR/tls.crt" ] && openssl x509 -checkend "$TLS_RENEW_SECONDS" -noout -in "$TLS_DIR/tls.crt" >/dev/null; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077
# genpkey writes PKCS#8, which Kafka's PEM key store needs (KIP-651).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/tls.key" 2>/dev/null
openssl req -new -key "$work/tls.key" -subj "/CN=$TLS_PRINCIPAL" -addext "subjectAltName=DNS:$NODE_HOST" -out "$work/node.csr"

case "$CA_KIND" in
  secrets-manager)
    aws secretsmanager get-secret-value --secret-id "$CA_SECRET" --query SecretString --output text > "$work/ca.json"
    python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
ca = json.load(open(os.path.join(work, "ca.json")))
open(os.path.join(work, "ca.crt"), "w").write(ca["certificate"].strip() + "\\n")
open(os.path.join(work, "ca.key"), "w").write(ca["privateKey"].strip() + "\\n")
PY
    # The signer decides the extensions; nothing is copied from the request.
    printf '%s\\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \\
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$NODE_HOST" > "$work/ext.cnf"
    openssl x509 -req -in "$work/node.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -sha256 -days "$TLS_DAYS" \\
      -set_serial "0x$(openssl rand -hex 16)" -extfile "$work/ext.cnf" -out "$work/cert.pem" 2>/dev/null
    cat "$work/cert.pem" > "$work/tls.crt"
    ;;
  private-ca)
    arn="$(aws acm-pca issue-certificate --certificate-authority-arn "$CA_ARN" --csr "fileb://$work/node.csr" \\
      --signing-algorithm SHA256WITHRSA --validity "Value=$TLS_DAYS,Type=DAYS" --query CertificateArn --output text)"
    aws acm-pca wait certificate-issued --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn"
    aws acm-pca get-certificate --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn" --query Certificate --output text > "$work/tls.crt"
    aws acm-pca get-certificate --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn" --query CertificateChain --output text > "$work/ca.crt"
    cat "$work/ca.crt" >> "$work/tls.crt"
    ;;
  *) echo "kafka-tls: unknown CA kind $CA_KIND" >&2; exit 1 ;;
esac

for file in tls.key tls.crt ca.crt; do
  install -m 0640 -o root -g kafka "$work/$file" "$TLS_DIR/$file"
done
echo "kafka-tls: issued a certificate for $NODE_HOST (CN=$TLS_PRINCIPAL)" >&2
`;

/** Kafka's process environment: heap from the sizing policy and the JMX exporter agent. */
export function kafkaEnv(model: ClusterModel, node: KafkaNode): string {
  const lines = [
    `# Environment of kafka.service on ${node.name}. Generated; no secrets.`,
    `KAFKA_HEAP_OPTS=${heapOptions(model, node)}`,
    'LOG_DIR=/var/log/kafka',
  ];
  if (model.spec.monitoring.enabled) lines.push(`KAFKA_OPTS=${jmxExporterJavaAgentOption(model)}`);
  return `${lines.join('\n')}\n`;
}

export function systemdUnit(model: ClusterModel, node: KafkaNode): string {
  return `[Unit]
Description=Apache Kafka ${model.spec.kafka.version} ${node.role} ${node.name}
After=network-online.target
Wants=network-online.target
RequiresMountsFor=${DATA_VOLUME_MOUNT}

[Service]
Type=simple
User=kafka
Group=kafka
EnvironmentFile=${VM_FILES.kafkaEnv}
# "+" runs the certificate step as root: it writes the key readable by the kafka group only.
ExecStartPre=+${VM_FILES.tlsScript}
ExecStart=${VM_KAFKA_HOME}/bin/kafka-server-start.sh ${KAFKA_PATHS.configFile}
# Controlled shutdown moves partition leadership away first; give big brokers minutes, not seconds.
TimeoutStopSec=300
KillSignal=SIGTERM
SuccessExitStatus=143
Restart=on-failure
RestartSec=10
LimitNOFILE=1048576
LimitNPROC=65536

[Install]
WantedBy=multi-user.target
`;
}

/** OS tuning from Kafka's operations guide: no swapping, room for many memory-mapped segment files. */
export const SYSCTL_CONF = `# Kafka: keep the heap and page cache out of swap; every log segment maps two index files.
vm.swappiness=1
vm.max_map_count=262144
# Flush dirty pages in the background before writers stall.
vm.dirty_background_ratio=5
vm.dirty_ratio=60
net.core.somaxconn=4096
`;

export const LIMITS_CONF = `# Kafka keeps a descriptor per segment file and per connection (systemd applies LimitNOFILE; this covers shells).
kafka soft nofile 1048576
kafka hard nofile 1048576
`;

/** Every file cloud-init writes on a node, in write order. */
export function vmFiles(model: ClusterModel, node: KafkaNode, options: VmBootstrapOptions = {}): VmFile[] {
  const files: VmFile[] = [
    { path: KAFKA_PATHS.configFile, content: renderServerProperties(model, node), permissions: '0644' },
    { path: VM_FILES.bootstrapEnv, content: bootstrapEnv(model, node), permissions: '0644' },
    { path: VM_FILES.kafkaEnv, content: kafkaEnv(model, node), permissions: '0644' },
    { path: VM_FILES.bootstrapScript, content: BOOTSTRAP_SCRIPT, permissions: '0755' },
    { path: VM_FILES.tlsScript, content: TLS_SCRIPT, permissions: '0755' },
    { path: VM_FILES.systemdUnit, content: systemdUnit(model, node), permissions: '0644' },
    { path: VM_FILES.sysctl, content: SYSCTL_CONF, permissions: '0644' },
    { path: VM_FILES.limits, content: LIMITS_CONF, permissions: '0644' },
  ];
  if (model.spec.monitoring.enabled) {
    if (options.jmxExporterConfig === undefined) throw new Error('vmFiles: monitoring is enabled but no JMX exporter config was given');
    files.push({ path: KAFKA_PATHS.jmxExporterConfig, content: options.jmxExporterConfig, permissions: '0644' });
  }
  return files;
}

/** The node's cloud-config: write the files, then run the bootstrap script once. */
export function renderVmUserData(model: ClusterModel, node: KafkaNode, options: VmBootstrapOptions = {}): string {
  const document = {
    write_files: vmFiles(model, node, options).map((file) => ({ path: file.path, permissions: file.permissions, owner: 'root:root', content: file.content })),
    runcmd: [[VM_FILES.bootstrapScript]],
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0, blockQuote: 'literal' })}`;
}

/** SHA-256 of the user data, tagged on the instance so a plan shows which nodes have a new configuration pending. */
export function userDataDigest(userData: string): string {
  return createHash('sha256').update(userData).digest('hex');
}

/** EC2 rejects user data above 16 KiB. */
export const MAX_USER_DATA_BYTES = 16384;
