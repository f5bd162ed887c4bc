import type { ClusterModel } from '../model/cluster-model';
import type { NodeRole } from '../model/sizing';
import { EXPORTERS, KAFKA_EXPORTER_ROLE, TARGET_LABELS } from './target-labels';
import { NODE_EXPORTER_ARTIFACT } from './node-exporter';

/**
 * How scrape targets get their labels. One list of relabel steps per role, rendered two ways: as PodMonitor
 * `relabelings` (Prometheus Operator) and as `relabel_configs` of the bundled Prometheus, so both produce the same
 * series.
 */
export interface RelabelStep {
  /** Labels whose values are joined (with `separator`) and matched against `regex`. @default - none: `replacement` is a constant */
  readonly sourceLabels?: readonly string[];
  /** What joins the source labels' values. @default - Prometheus's `;` */
  readonly separator?: string;
  /** Regex the joined value must match; its groups feed `replacement` (`$1`). @default - Prometheus's `(.*)` */
  readonly regex?: string;
  /** Label the step writes. */
  readonly targetLabel: string;
  /** Value written to `targetLabel`, e.g. a constant or `$1`. */
  readonly replacement: string;
}

/** Pod labels of the kafka-exporter Deployment. */
export function kafkaExporterLabels(model: ClusterModel): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kafka-exporter',
    'app.kubernetes.io/instance': model.spec.kafka.clusterName,
    'app.kubernetes.io/component': KAFKA_EXPORTER_ROLE,
  };
}

/** Port the kafka-exporter serves metrics on (its default). */
export const KAFKA_EXPORTER_PORT = 9308;

const meta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
const ORDINAL = '__tmp_kafka_ordinal';
/** The node's zone label (Prometheus `attach_metadata.node`); controllers are spread, not pinned, so this is the truth. */
const NODE_ZONE = '__meta_kubernetes_node_label_topology_kubernetes_io_zone';

/**
 * Relabel steps of a Kafka role's pods. `node_id` is not a pod label (one template serves every pod of a
 * StatefulSet), so it is derived here from labels the pod does carry — role, zone and the StatefulSet ordinal — with
 * one exact mapping per node decided by the cluster model, the same place that decides `node.id`.
 */
export function kafkaRelabelSteps(model: ClusterModel, role: NodeRole): RelabelStep[] {
  const spec = model.spec;
  const nodes = model.nodes.filter((node) => node.role === role);
  return [
    { targetLabel: TARGET_LABELS.environment, replacement: spec.name },
    { targetLabel: TARGET_LABELS.cluster, replacement: spec.kafka.clusterName },
    { targetLabel: TARGET_LABELS.exporter, replacement: EXPORTERS.jmx },
    { sourceLabels: [meta('app.kubernetes.io/component')], targetLabel: TARGET_LABELS.role, replacement: '$1' },
    role === 'broker'
      ? { sourceLabels: [meta('kafka.zone')], targetLabel: TARGET_LABELS.zone, replacement: '$1' }
      : { sourceLabels: [NODE_ZONE], targetLabel: TARGET_LABELS.zone, replacement: '$1' },
    { sourceLabels: ['__meta_kubernetes_pod_name'], regex: '.+-([0-9]+)', targetLabel: ORDINAL, replacement: '$1' },
    ...nodes.map(
      (node): RelabelStep => ({
        sourceLabels: [meta('app.kubernetes.io/component'), meta('kafka.zone'), ORDINAL],
        separator: ';',
        regex: `${role};${role === 'broker' ? node.zone : ''};${node.ordinal}`,
        targetLabel: TARGET_LABELS.nodeId,
        replacement: String(node.nodeId),
      }),
    ),
  ];
}

/** Relabel steps of the kafka-exporter's pod. */
export function kafkaExporterRelabelSteps(model: ClusterModel): RelabelStep[] {
  return [
    { targetLabel: TARGET_LABELS.environment, replacement: model.spec.name },
    { targetLabel: TARGET_LABELS.cluster, replacement: model.spec.kafka.clusterName },
    { targetLabel: TARGET_LABELS.role, replacement: KAFKA_EXPORTER_ROLE },
    { targetLabel: TARGET_LABELS.exporter, replacement: EXPORTERS.kafkaExporter },
  ];
}

/** The steps in Prometheus' own `relabel_configs` syntax. */
export function toPrometheusRelabelConfigs(steps: readonly RelabelStep[]): Record<string, unknown>[] {
  return steps.map((step) => ({
    ...(step.sourceLabels ? { source_labels: step.sourceLabels } : {}),
    ...(step.separator ? { separator: step.separator } : {}),
    ...(step.regex ? { regex: step.regex } : {}),
    target_label: step.targetLabel,
    replacement: step.replacement,
  }));
}

/**
 * A scrape config for VM environments: static targets, one per node, labelled exactly like the Kubernetes targets,
 * for the JMX exporter and for node_exporter (whose filesystem metrics feed the disk alerts). The two jobs differ
 * in the `exporter` label, so `up` of one never stands in for the other.
 */
export function vmScrapeConfigs(model: ClusterModel): Record<string, unknown>[] {
  const targets = (targetPort: number, exporter: string) =>
    model.nodes.map((node) => ({
      targets: [`${node.host}:${targetPort}`],
      labels: {
        [TARGET_LABELS.environment]: model.spec.name,
        [TARGET_LABELS.cluster]: model.spec.kafka.clusterName,
        [TARGET_LABELS.exporter]: exporter,
        [TARGET_LABELS.role]: node.role,
        [TARGET_LABELS.zone]: node.zone,
        [TARGET_LABELS.nodeId]: String(node.nodeId),
      },
    }));
  const name = `${model.spec.name}-${model.spec.kafka.clusterName}`;
  return [
    { job_name: `${name}-kafka`, static_configs: targets(model.spec.monitoring.jmxExporterPort, EXPORTERS.jmx) },
    { job_name: `${name}-node`, static_configs: targets(NODE_EXPORTER_ARTIFACT.port, EXPORTERS.node) },
  ];
}
