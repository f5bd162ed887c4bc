import type { ResolvedSpec } from '../spec/environment-spec';

/**
 * Labels every scraped Kafka series carries, attached at scrape time (PodMonitor relabelings on Kubernetes, the
 * static scrape config on VMs). Alerts aggregate and dashboards filter on these names only, so a renamed pod or
 * StatefulSet cannot silently drop a node out of an alert.
 */
export const TARGET_LABELS = {
  environment: 'environment',
  cluster: 'cluster',
  /** `controller`, `broker` or `kafka-exporter`. */
  role: 'role',
  /** The availability zone: `broker.rack` for brokers. */
  zone: 'zone',
  /** Kafka's `node.id`. */
  nodeId: 'node_id',
  /**
   * Which exporter serves the target: `jmx` (the JMX exporter agent in the Kafka JVM), `node` (node_exporter on a VM)
   * or `kafka-exporter`. A VM's node_exporter carries the same node labels as its JVM, so every `up` expression and
   * panel names the exporter it means: otherwise a dead JVM on a running VM looks up.
   */
  exporter: 'exporter',
} as const;

/** Values of the `exporter` label. */
export const EXPORTERS = { jmx: 'jmx', node: 'node', kafkaExporter: 'kafka-exporter' } as const;

/** The `role` label of the consumer-lag exporter's target. */
export const KAFKA_EXPORTER_ROLE = 'kafka-exporter';

/** Label matchers that pin a query to one environment's cluster, e.g. `environment="prod",cluster="kafka"`. */
export function clusterMatchers(spec: ResolvedSpec): string {
  return `${TARGET_LABELS.environment}="${spec.name}",${TARGET_LABELS.cluster}="${spec.kafka.clusterName}"`;
}

/** Matchers for the Kafka JVMs' own targets (the JMX exporter) of one cluster. */
export function jmxTargetMatchers(spec: ResolvedSpec): string {
  return `${clusterMatchers(spec)},${TARGET_LABELS.exporter}="${EXPORTERS.jmx}"`;
}

/** `by (...)` list for per-node alerts. */
export const PER_NODE = 'environment, cluster, role, zone, node_id';
/** `by (...)` list for per-cluster alerts. */
export const PER_CLUSTER = 'environment, cluster';
