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
} as const;

/** The `role` label of the consumer-lag exporter's target. */
export const KAFKA_EXPORTER_ROLE = 'kafka-exporter';

/** Label matchers that pin a query to one environment's cluster, e.g. `environment="prod",cluster="kafka"`. */
export function clusterMatchers(spec: ResolvedSpec): string {
  return `${TARGET_LABELS.environment}="${spec.name}",${TARGET_LABELS.cluster}="${spec.kafka.clusterName}"`;
}

/** `by (...)` list for per-node alerts. */
export const PER_NODE = 'environment, cluster, role, zone, node_id';
/** `by (...)` list for per-cluster alerts. */
export const PER_CLUSTER = 'environment, cluster';
