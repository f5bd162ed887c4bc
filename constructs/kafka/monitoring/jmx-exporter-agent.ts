import type { ClusterModel } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import { KAFKA_PATHS } from '../model/paths';
import installScript from './scripts/jmx-exporter-install.sh';

/**
 * The Prometheus JMX exporter Java agent, pinned once for both runtimes.
 *
 * Version 1.6.0 and its SHA-256 are the values several independent public build files pin, for the GitHub release
 * download (`ADD --checksum=sha256:a95983fd... .../releases/download/1.6.0/jmx_prometheus_javaagent-1.6.0.jar`) and
 * for the Maven Central one; it was not re-downloaded here. Both runtimes verify this checksum before the JVM starts,
 * so a tampered, truncated or different jar stops the node instead of running unverified code.
 */
export interface JmxExporterAgentArtifact {
  /** jmx_exporter release. */
  readonly version: string;
  /** Maven Central download, used by VMs' cloud-init and by the default init container. */
  readonly mavenUrl: string;
  /** SHA-256 of the jar (hex). */
  readonly sha256: string;
  /**
   * Image of the Kubernetes init container that puts the jar on a shared volume. With `jarPathInImage` unset it
   * downloads `mavenUrl`; with it set (a mirror image that contains the jar, for clusters without egress) it copies.
   * Either way it checks `sha256` and fails the pod on a mismatch.
   */
  readonly initImage: string;
  /** Where the jar sits inside `initImage`. @default - none: the init container downloads `mavenUrl` */
  readonly jarPathInImage?: string;
}

/** The pinned jmx_exporter release (see {@link JmxExporterAgentArtifact} for where the pin comes from). */
export const JMX_EXPORTER_VERSION = '1.6.0';
/** SHA-256 (hex) of `jmx_prometheus_javaagent-1.6.0.jar`, checked on both runtimes before the JVM loads it. */
export const JMX_EXPORTER_SHA256 = 'a95983fd96e865d2bcdf911cc500e7c82808c27ab9fd226bf96732b6c3d8c46e';
/** Maven Central URL of the pinned agent jar. */
export const JMX_EXPORTER_MAVEN_URL =
  `https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/${JMX_EXPORTER_VERSION}/` +
  `jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`;
/**
 * curl verifies the server's TLS certificate (busybox `wget` does not), and the Alpine base brings `sha256sum`.
 * Pinned by tag (no digest was verifiable offline); the checksum check, not the image, makes the jar trustworthy.
 * Production uses a mirror image instead and downloads nothing (validation/kubernetes-invariants.ts).
 */
export const JMX_EXPORTER_DEFAULT_INIT_IMAGE = 'curlimages/curl:8.11.1';

/** The agent artifact of an environment: the pinned default, or the spec's mirror image. */
export function jmxExporterAgent(spec: ResolvedSpec): JmxExporterAgentArtifact {
  const mirror = spec.monitoring.jmxExporter;
  return {
    version: JMX_EXPORTER_VERSION,
    mavenUrl: JMX_EXPORTER_MAVEN_URL,
    sha256: JMX_EXPORTER_SHA256,
    initImage: mirror.image ?? JMX_EXPORTER_DEFAULT_INIT_IMAGE,
    ...(mirror.image && mirror.jarPath ? { jarPathInImage: mirror.jarPath } : {}),
  };
}

/**
 * `-javaagent:<jar>=<port>:<config>`, for KAFKA_OPTS on both runtimes. The agent binds every interface on the port
 * (the pod IP on Kubernetes; security groups / NetworkPolicies restrict who may scrape).
 */
export function jmxExporterJavaAgentOption(model: ClusterModel): string {
  return `-javaagent:${KAFKA_PATHS.jmxExporterJar}=${model.spec.monitoring.jmxExporterPort}:${KAFKA_PATHS.jmxExporterConfig}`;
}

/** POSIX shell that installs the verified jar (`scripts/jmx-exporter-install.sh`, byte for byte). */
export const JMX_EXPORTER_INSTALL_SCRIPT: string = installScript;

/** The install script's parameters, as the init container's environment. */
export function jmxExporterInstallEnvironment(artifact: JmxExporterAgentArtifact, target: string = KAFKA_PATHS.jmxExporterJar): { name: string; value: string }[] {
  return [
    { name: 'JMX_EXPORTER_JAR', value: target },
    { name: 'JMX_EXPORTER_SHA256', value: artifact.sha256 },
    artifact.jarPathInImage ? { name: 'JMX_EXPORTER_JAR_IN_IMAGE', value: artifact.jarPathInImage } : { name: 'JMX_EXPORTER_URL', value: artifact.mavenUrl },
  ];
}
