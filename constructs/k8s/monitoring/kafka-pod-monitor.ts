import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { type RelabelStep, kafkaRelabelSteps } from '../../kafka/monitoring/scrape-config';
import type { NodeRole } from '../../kafka/model/sizing';
import { clusterLabels, roleSelector } from '../labels';

/** What a {@link KafkaPodMonitor} needs: the cluster, the role whose pods it scrapes and how often. */
export interface KafkaPodMonitorProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** The role whose pods the PodMonitor selects: `controller` or `broker`. */
  readonly role: NodeRole;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
}

/** PodMonitor `relabelings` from the shared relabel steps (Prometheus Operator field names). */
export function podMonitorRelabelings(steps: readonly RelabelStep[]): Record<string, unknown>[] {
  return steps.map((step) => ({
    ...(step.sourceLabels ? { sourceLabels: step.sourceLabels } : {}),
    ...(step.separator ? { separator: step.separator } : {}),
    ...(step.regex ? { regex: step.regex } : {}),
    targetLabel: step.targetLabel,
    replacement: step.replacement,
    action: 'replace',
  }));
}

/**
 * Prometheus Operator PodMonitor for one role's pods, selected by labels (never pod names), scraping the `metrics`
 * port and attaching environment, cluster, role, zone and node_id. Node metadata is attached because controllers
 * are spread over zones rather than pinned, so their zone is the node's.
 */
export class KafkaPodMonitor extends Construct {
  /** Name of the PodMonitor, `<cluster>-<role>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaPodMonitorProps) {
    super(scope, id);
    const { model, role } = props;
    const spec = model.spec;
    this.name = `${spec.kafka.clusterName}-${role}`;
    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        name: this.name,
        labels: { ...clusterLabels(spec), 'app.kubernetes.io/component': role, ...spec.monitoring.prometheusOperator.selectorLabels },
      },
      spec: {
        selector: { matchLabels: roleSelector(spec, role) },
        attachMetadata: { node: true },
        podMetricsEndpoints: [
          {
            port: 'metrics',
            path: '/metrics',
            interval: props.interval ?? '30s',
            relabelings: podMonitorRelabelings(kafkaRelabelSteps(model, role)),
          },
        ],
      },
    });
  }
}
