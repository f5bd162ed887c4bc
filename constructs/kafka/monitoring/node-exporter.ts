/**
 * Prometheus node_exporter for VM nodes, as pure data: the VM bootstrap installs it (pinned, checksum-verified, from
 * the artifact mirror when the spec has one), the security groups admit its port from the monitoring group and
 * CIDRs only, the VM scrape config targets it, and the disk and VM-certificate alerts read it.
 *
 * Version 1.9.1 and the two SHA-256 values are those of the release's `sha256sums.txt` as several independent public
 * build files pin them (Chef, Ansible and image build scripts, one quoting `sha256sums.txt` of v1.9.1); they were not
 * re-downloaded here (no network). The bootstrap must verify the tarball against them before extracting it and fail
 * the boot on a mismatch, like the JMX exporter jar.
 */
export interface NodeExporterArtifact {
  /** node_exporter release. */
  readonly version: string;
  /** Port node_exporter listens on (its default). */
  readonly port: number;
  /** Release tarballs per CPU architecture of the instance (`uname -m` → `amd64` for x86_64, `arm64` for aarch64). */
  readonly tarballs: Readonly<Record<'amd64' | 'arm64', NodeExporterTarball>>;
  /**
   * node_exporter's `--collector.textfile.directory`: the VM bootstrap writes
   * `kafka_tls_certificate_expiry_timestamp_seconds` there (file `kafka-tls.prom`), which the VM certificate alerts read.
   */
  readonly textfileDirectory: string;
  /** Where the binary is installed (beside the JMX exporter agent under /opt). */
  readonly binaryPath: string;
  /** Command-line flags of the service: the port above and the textfile directory. */
  readonly args: readonly string[];
}

/** One release tarball of node_exporter: where to get it and the checksum it must have. */
export interface NodeExporterTarball {
  /** File name of the release asset. */
  readonly file: string;
  /**
   * Key below `runtime.artifactMirror.prefix` (beside the Kafka tarball and the JMX exporter jar), used instead of
   * `url` when the environment has a mirror.
   */
  readonly mirrorKey: string;
  /** The upstream GitHub release download. */
  readonly url: string;
  /** SHA-256 (hex) of the tarball, from the release's sha256sums.txt. */
  readonly sha256: string;
}

/** The pinned node_exporter release (see {@link NodeExporterArtifact} for where the pin comes from). */
export const NODE_EXPORTER_VERSION = '1.9.1';

function tarball(arch: 'amd64' | 'arm64', sha256: string): NodeExporterTarball {
  const file = `node_exporter-${NODE_EXPORTER_VERSION}.linux-${arch}.tar.gz`;
  return { file, mirrorKey: file, url: `https://github.com/prometheus/node_exporter/releases/download/v${NODE_EXPORTER_VERSION}/${file}`, sha256 };
}

const PORT = 9100;
const TEXTFILE_DIRECTORY = '/var/lib/node_exporter/textfile';

/** node_exporter as the VMs install and run it: version, port 9100, checksummed tarballs, textfile directory. */
export const NODE_EXPORTER_ARTIFACT: NodeExporterArtifact = {
  version: NODE_EXPORTER_VERSION,
  port: PORT,
  tarballs: {
    amd64: tarball('amd64', 'becb950ee80daa8ae7331d77966d94a611af79ad0d3307380907e0ec08f5b4e8'),
    arm64: tarball('arm64', '848f139986f63232ced83babe3cad1679efdbb26c694737edc1f4fbd27b96203'),
  },
  textfileDirectory: TEXTFILE_DIRECTORY,
  binaryPath: '/opt/node-exporter/node_exporter',
  args: [`--web.listen-address=:${PORT}`, `--collector.textfile.directory=${TEXTFILE_DIRECTORY}`],
};

/**
 * Gauges the VM certificate script (vm/scripts/kafka-tls.sh) writes into the textfile directory as `kafka-tls.prom`
 * at every Kafka start: the certificate's notAfter in Unix seconds, and 1 when the last renewal failed.
 */
export const VM_CERTIFICATE_EXPIRY_METRIC = 'kafka_tls_certificate_expiry_timestamp_seconds';
/** Gauge that is 1 when the VM's last certificate renewal failed (written beside the expiry gauge). */
export const VM_CERTIFICATE_RENEWAL_FAILED_METRIC = 'kafka_tls_certificate_renewal_failed';

/**
 * Gauge the VM log-shipping script (vm/scripts/kafka-log-shipping.sh) writes into the textfile directory as
 * `kafka-log-shipping.prom` at boot: 1 when the CloudWatch agent could not be installed or started (Kafka runs anyway).
 */
export const VM_LOG_SHIPPING_FAILED_METRIC = 'kafka_log_shipping_failed';
