/**
 * Filesystem layout shared by both runtimes: the Kubernetes pods mount volumes here and the VMs' cloud-init
 * creates the same paths, so one rendered server.properties is valid on both.
 */
export const KAFKA_PATHS = {
  /** Broker data volume (`log.dirs`); never /tmp, which the apache/kafka image's sample config uses. */
  dataDir: '/var/lib/kafka/data',
  /** Controller metadata volume: the KRaft `__cluster_metadata` log. */
  metadataDir: '/var/lib/kafka/metadata',
  /** PEM material: tls.crt (certificate chain), tls.key (PKCS#8 private key), ca.crt (trusted CAs). */
  tlsDir: '/etc/kafka/tls',
  /** The rendered server.properties. */
  configFile: '/etc/kafka/server.properties',
  /** The Prometheus JMX exporter agent jar. */
  jmxExporterJar: '/opt/jmx-exporter/jmx_prometheus_javaagent.jar',
  /** The JMX exporter rules file (`dist/<env>/monitoring/jmx-exporter.yaml`). */
  jmxExporterConfig: '/etc/kafka/jmx-exporter/jmx-exporter.yaml',
} as const;
