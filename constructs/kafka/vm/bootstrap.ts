import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { ADMIN_USER, type ClusterModel, rolePrincipalName } from '../model/cluster-model';
import type { ResolvedSpec, VmRuntime } from '../spec/environment-spec';
import { JMX_EXPORTER_MAVEN_URL, JMX_EXPORTER_SHA256, JMX_EXPORTER_VERSION, jmxExporterJavaAgentOption } from '../monitoring/jmx-exporter-agent';
import { KAFKA_PATHS } from '../model/paths';
import { NODE_EXPORTER_ARTIFACT } from '../monitoring/node-exporter';
import { awsSecretName } from '../model/names';
import { type DigestAlgorithm, kafkaReleaseDigest } from '../model/kafka-releases';
import { type EnvFileValue, renderEnvFile } from '../config/env-file';
import { heapOptions, renderServerProperties } from '../config/server-properties';
import type { NodeRole } from '../model/sizing';
import type { KafkaNode } from '../model/topology';
import { VM_BOOTSTRAP_LOG, VM_KAFKA_LOG_DIR, VM_KAFKA_LOG_FILES } from './log-files';
import { LOG_SHIPPING_FILES, LOG_SHIPPING_SCRIPT, cloudWatchAgentConfig, nodeLogShipping } from './log-shipping';
import { reconcileBucketName, runsReconcile, vmReconcileFiles } from './reconcile';
import bootstrapScript from './scripts/kafka-bootstrap.sh';
import tlsScript from './scripts/kafka-tls.sh';

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
/** Days before expiry from which a VM's certificate is renewed at the next Kafka start. */
export const VM_CERTIFICATE_RENEW_DAYS = 30;

/** Where the bootstrap puts each file it writes on a VM (environment files, scripts, units, OS limits). */
export const VM_FILES = {
  bootstrapEnv: '/etc/kafka/bootstrap.env',
  kafkaEnv: '/etc/kafka/kafka.env',
  bootstrapScript: '/usr/local/sbin/kafka-bootstrap.sh',
  tlsScript: '/usr/local/sbin/kafka-tls.sh',
  systemdUnit: '/etc/systemd/system/kafka.service',
  nodeExporterUnit: '/etc/systemd/system/node-exporter.service',
  log4j: '/etc/kafka/log4j2.yaml',
  sysctl: '/etc/sysctl.d/90-kafka.conf',
  limits: '/etc/security/limits.d/90-kafka.conf',
} as const;

/** A file cloud-init writes. */
export interface VmFile {
  /** Absolute path on the node. */
  readonly path: string;
  /** The file's exact text. */
  readonly content: string;
  /** Octal mode as cloud-init takes it, e.g. `0644` or `0755` for scripts. */
  readonly permissions: string;
}

/** What rendering a node's files needs besides the model and the node. */
export interface VmBootstrapOptions {
  /**
   * The JMX exporter rules (`dist/<env>/monitoring/jmx-exporter.yaml`); needed when monitoring is enabled.
   * @default - none: rendering fails if monitoring is enabled
   */
  readonly jmxExporterConfig?: string;
}

/** Where a node downloads an artifact from (an https URL or an `s3://` object of the mirror) and what it must hash to. */
export interface ArtifactSource {
  /** `https://` URL or `s3://<bucket>/<key>` of the mirror. */
  readonly url: string;
  /** Hash the download is checked with: `sha256` (the pinned Kafka releases) or `sha512` (Apache's `.sha512` files). */
  readonly algorithm: DigestAlgorithm;
  /** Expected hex digest; a mismatch stops the boot. */
  readonly digest: string;
}

/** File name of the Kafka binary release for `version` (Scala 2.13 build), e.g. `kafka_2.13-4.1.1.tgz`. */
export function kafkaArchiveName(version: string): string {
  return `kafka_2.13-${version}.tgz`;
}

/** The Kafka tarball of a VM environment: the S3 mirror, the spec's URL, or Apache's archive; always digest-checked. */
export function kafkaArchiveSource(spec: ResolvedSpec, runtime: VmRuntime): ArtifactSource {
  const archive = kafkaArchiveName(spec.kafka.version);
  const { sha512, url } = runtime.kafkaDistribution;
  const digest = kafkaReleaseDigest(spec.kafka.version, sha512);
  // Validation refuses a version without a digest (validation/aws-invariants.ts); reaching this is a bug.
  if (!digest) throw new Error(`${spec.name}: no digest for Kafka ${spec.kafka.version}`);
  const source = runtime.artifactMirror
    ? `s3://${runtime.artifactMirror.bucket}/${runtime.artifactMirror.prefix}/${archive}`
    : (url ?? `https://archive.apache.org/dist/kafka/${spec.kafka.version}/${archive}`);
  return { url: source, algorithm: digest.algorithm, digest: digest.hex };
}

/** The JMX exporter jar: the pinned Maven Central release, or its copy in the mirror; always SHA-256-checked. */
export function jmxExporterJarSource(runtime: VmRuntime): ArtifactSource {
  const mirror = runtime.artifactMirror;
  const url = mirror ? `s3://${mirror.bucket}/${mirror.prefix}/jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar` : JMX_EXPORTER_MAVEN_URL;
  return { url, algorithm: 'sha256', digest: JMX_EXPORTER_SHA256 };
}

/** node_exporter's tarball for one CPU architecture: the pinned GitHub release or its copy in the mirror. */
export function nodeExporterSource(runtime: VmRuntime, arch: keyof typeof NODE_EXPORTER_ARTIFACT.tarballs): ArtifactSource {
  const tarball = NODE_EXPORTER_ARTIFACT.tarballs[arch];
  const mirror = runtime.artifactMirror;
  return { url: mirror ? `s3://${mirror.bucket}/${mirror.prefix}/${tarball.mirrorKey}` : tarball.url, algorithm: 'sha256', digest: tarball.sha256 };
}

function vmRuntimeOf(spec: ResolvedSpec): VmRuntime {
  if (spec.runtime.kind !== 'vm') throw new Error(`environment ${spec.name} does not run on VMs`);
  return spec.runtime;
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
  const entries: [string, EnvFileValue][] = [
    ['AWS_DEFAULT_REGION', spec.aws.region],
    ['NODE_NAME', node.name],
    ['NODE_ID', node.nodeId],
    ['NODE_ROLE', node.role],
    ['NODE_HOST', node.host],
    ['CLUSTER_ID', spec.kafka.clusterId],
    ['KAFKA_VERSION', spec.kafka.version],
    ['KAFKA_HOME', VM_KAFKA_HOME],
    ['KAFKA_CONFIG', KAFKA_PATHS.configFile],
    ['KAFKA_LOG_DIR', node.role === 'broker' ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir],
    ['KAFKA_ARCHIVE_URL', kafka.url],
    ['KAFKA_ARCHIVE_DIGEST_ALGORITHM', kafka.algorithm],
    ['KAFKA_ARCHIVE_DIGEST', kafka.digest],
    ['JMX_EXPORTER_ENABLED', spec.monitoring.enabled],
    ['JMX_EXPORTER_URL', jar.url],
    ['JMX_EXPORTER_SHA256', jar.digest],
    ['JMX_EXPORTER_JAR', KAFKA_PATHS.jmxExporterJar],
    ['NODE_EXPORTER_ENABLED', spec.monitoring.enabled],
    ['NODE_EXPORTER_AMD64_URL', nodeExporterSource(runtime, 'amd64').url],
    ['NODE_EXPORTER_AMD64_SHA256', nodeExporterSource(runtime, 'amd64').digest],
    ['NODE_EXPORTER_ARM64_URL', nodeExporterSource(runtime, 'arm64').url],
    ['NODE_EXPORTER_ARM64_SHA256', nodeExporterSource(runtime, 'arm64').digest],
    ['NODE_EXPORTER_BINARY', NODE_EXPORTER_ARTIFACT.binaryPath],
    ['NODE_EXPORTER_TEXTFILE_DIR', NODE_EXPORTER_ARTIFACT.textfileDirectory],
    ['JAVA_PACKAGE', runtime.javaPackage],
    ['DATA_DEVICE', DATA_VOLUME_DEVICE],
    ['DATA_MOUNT', DATA_VOLUME_MOUNT],
    ['DATA_LABEL', DATA_VOLUME_LABEL],
    ['TLS_ENABLED', tls],
    ['TLS_DIR', KAFKA_PATHS.tlsDir],
    ['TLS_PRINCIPAL', rolePrincipalName(spec, node.role)],
    ['TLS_DAYS', VM_CERTIFICATE_DAYS],
    ['TLS_RENEW_SECONDS', VM_CERTIFICATE_RENEW_DAYS * 86400],
    ['TLS_METRICS_DIR', NODE_EXPORTER_ARTIFACT.textfileDirectory],
    ['CA_KIND', ca.kind],
    ['CA_SECRET', secrets.ca ?? ''],
    ['CA_ARN', ca.kind === 'private-ca' ? ca.arn : ''],
    ['ADMIN_USER', secrets.admin ? ADMIN_USER : ''],
    ['ADMIN_SECRET', secrets.admin ?? ''],
    // The CloudWatch agent (vm/log-shipping.ts), started first; Kafka starts whether or not it does.
    ['LOG_SHIPPING_ENABLED', nodeLogShipping(spec).enabled],
    // Controllers run the reconcile timer (vm/reconcile.ts); only the active controller's run acts.
    ['RECONCILE_ENABLED', runsReconcile(model, node)],
    ['RECONCILE_BUCKET', runsReconcile(model, node) ? reconcileBucketName(spec) : ''],
  ];
  return renderEnvFile(`Facts of ${node.name} read by the Kafka bootstrap scripts. Generated; no secrets.`, entries);
}

/** Runs once per instance (cloud-init runcmd): packages, data volume, Kafka release, storage format, service. */
export const BOOTSTRAP_SCRIPT: string = bootstrapScript;

/** Runs before every start of Kafka: gives the node a certificate with a key created here, renewed near expiry. */
export const TLS_SCRIPT: string = tlsScript;

/** Kafka's process environment: heap from the sizing policy and the JMX exporter agent. */
export function kafkaEnv(model: ClusterModel, node: KafkaNode): string {
  const lines = [
    `# Environment of kafka.service on ${node.name}. Generated; no secrets.`,
    `KAFKA_HEAP_OPTS=${heapOptions(model, node)}`,
    `LOG_DIR=${VM_KAFKA_LOG_DIR}`,
    `KAFKA_LOG4J_OPTS=-Dlog4j2.configurationFile=file:${VM_FILES.log4j}`,
  ];
  if (model.spec.monitoring.enabled) lines.push(`KAFKA_OPTS=${jmxExporterJavaAgentOption(model)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The node's `kafka.service`: runs as `kafka` once the data volume is mounted, renews the certificate as root before
 * each start, gives a controlled shutdown 5 minutes and restarts on failure.
 */
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

/**
 * node_exporter as a hardened service: a transient system user, a read-only view of the machine, and the textfile
 * directory where the node's scripts leave their gauges (certificate expiry).
 */
export const NODE_EXPORTER_UNIT = `[Unit]
Description=Prometheus node_exporter ${NODE_EXPORTER_ARTIFACT.version}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
DynamicUser=yes
ExecStart=${[NODE_EXPORTER_ARTIFACT.binaryPath, ...NODE_EXPORTER_ARTIFACT.args].join(' ')}
ProtectSystem=strict
ProtectHome=yes
NoNewPrivileges=yes
PrivateTmp=yes
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

/** Log files stop growing at this size and roll over; this many old ones are kept per log. */
export const VM_LOG_FILE_MEGABYTES = 100;
/** Rolled-over files kept per log (with {@link VM_LOG_FILE_MEGABYTES}, a bound on each log's disk use). */
export const VM_LOG_FILES_KEPT = 10;

/**
 * Kafka's logging on VMs: its usual files under /var/log/kafka, each rolled over by size and pruned, so logs can
 * never fill the root volume (Kafka's shipped config rolls by time and deletes nothing). The request logger stays at
 * WARN (at INFO it logs every request); authoriser denials are logged at INFO and kept.
 */
export function vmLoggingConfig(): string {
  const appender = (name: string, file: string) => [
    `      - name: ${name}`,
    `        fileName: "\${sys:kafka.logs.dir}/${file}"`,
    `        filePattern: "\${sys:kafka.logs.dir}/${file}.%i"`,
    '        PatternLayout:',
    '          pattern: "[%d] %p %m (%c)%n"',
    '        SizeBasedTriggeringPolicy:',
    `          size: "${VM_LOG_FILE_MEGABYTES} MB"`,
    '        DefaultRolloverStrategy:',
    `          max: ${VM_LOG_FILES_KEPT}`,
  ];
  const logger = (name: string, level: string, ref: string) => [
    `      - name: ${name}`,
    `        level: ${level}`,
    '        additivity: false',
    '        AppenderRef:',
    `          - ref: ${ref}`,
  ];
  return [
    'Configuration:',
    '  name: kafka',
    '  Appenders:',
    '    RollingFile:',
    ...appender('SERVER', VM_KAFKA_LOG_FILES.server),
    ...appender('CONTROLLER', VM_KAFKA_LOG_FILES.controller),
    ...appender('STATE_CHANGE', VM_KAFKA_LOG_FILES.stateChange),
    ...appender('REQUEST', VM_KAFKA_LOG_FILES.request),
    ...appender('AUTHORIZER', VM_KAFKA_LOG_FILES.authorizer),
    '  Loggers:',
    '    Root:',
    '      level: INFO',
    '      AppenderRef:',
    '        - ref: SERVER',
    '    Logger:',
    ...logger('kafka.controller', 'INFO', 'CONTROLLER'),
    ...logger('state.change.logger', 'INFO', 'STATE_CHANGE'),
    ...logger('kafka.request.logger', 'WARN', 'REQUEST'),
    ...logger('kafka.authorizer.logger', 'INFO', 'AUTHORIZER'),
    '',
  ].join('\n');
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

/** `/etc/security/limits.d/90-kafka.conf`: the `kafka` user's open-file limit for login shells. */
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
    { path: VM_FILES.log4j, content: vmLoggingConfig(), permissions: '0644' },
    { path: VM_FILES.sysctl, content: SYSCTL_CONF, permissions: '0644' },
    { path: VM_FILES.limits, content: LIMITS_CONF, permissions: '0644' },
  ];
  if (runsReconcile(model, node)) files.push(...vmReconcileFiles(model));
  if (nodeLogShipping(model.spec).enabled) {
    files.push(
      { path: LOG_SHIPPING_FILES.agentConfig, content: cloudWatchAgentConfig(model, node), permissions: '0644' },
      { path: LOG_SHIPPING_FILES.script, content: LOG_SHIPPING_SCRIPT, permissions: '0755' },
    );
  }
  if (model.spec.monitoring.enabled) {
    files.push({ path: VM_FILES.nodeExporterUnit, content: NODE_EXPORTER_UNIT, permissions: '0644' });
    if (options.jmxExporterConfig === undefined) throw new Error('vmFiles: monitoring is enabled but no JMX exporter config was given');
    files.push({ path: KAFKA_PATHS.jmxExporterConfig, content: options.jmxExporterConfig, permissions: '0644' });
  }
  return files;
}

/**
 * User data rendered per model and node: synthesis renders each node's twice, for `dist/<env>/vm/` and for its
 * instance in Terraform (the model is immutable, so the same inputs give the same text).
 */
const renderedUserData = new WeakMap<ClusterModel, Map<KafkaNode, Map<string | undefined, string>>>();

/** The node's cloud-config: write the files, then run the bootstrap script once, its output kept in the boot log. */
export function renderVmUserData(model: ClusterModel, node: KafkaNode, options: VmBootstrapOptions = {}): string {
  let perNode = renderedUserData.get(model);
  if (!perNode) renderedUserData.set(model, (perNode = new Map()));
  let perOptions = perNode.get(node);
  if (!perOptions) perNode.set(node, (perOptions = new Map()));
  const cached = perOptions.get(options.jmxExporterConfig);
  if (cached !== undefined) return cached;
  const userData = cloudConfig(model, node, options);
  perOptions.set(options.jmxExporterConfig, userData);
  return userData;
}

function cloudConfig(model: ClusterModel, node: KafkaNode, options: VmBootstrapOptions): string {
  const document = {
    // cloud-init's default, stated so that the boot log is where the CloudWatch agent looks for it.
    output: { all: `| tee -a ${VM_BOOTSTRAP_LOG}` },
    write_files: vmFiles(model, node, options).map((file) => ({ path: file.path, permissions: file.permissions, owner: 'root:root', content: file.content })),
    runcmd: [[VM_FILES.bootstrapScript]],
  };
  // cloud-init reads user data with PyYAML's YAML 1.1 rules: a string that reads as a boolean or number there is quoted.
  return `#cloud-config\n${stringify(document, { lineWidth: 0, blockQuote: 'literal', compat: 'yaml-1.1' })}`;
}

/** SHA-256 of the user data, tagged on the instance so a plan shows which nodes have a new configuration pending. */
export function userDataDigest(userData: string): string {
  return createHash('sha256').update(userData).digest('hex');
}

/** EC2 rejects user data above 16 KiB. */
export const MAX_USER_DATA_BYTES = 16384;
