import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { kafkaDashboards, renderDashboard } from '../../kafka/monitoring/dashboards';
import { clusterLabels } from '../labels';

/** The label Grafana's dashboard sidecar (kube-prometheus-stack, Grafana's chart) watches for. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** What {@link DashboardConfigMaps} needs: the cluster whose dashboards to publish. */
export interface DashboardConfigMapsProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

/**
 * One ConfigMap per dashboard, labelled for Grafana's dashboard sidecar (one per dashboard keeps each under the
 * 1 MiB ConfigMap limit and lets the sidecar update them one by one).
 */
export class DashboardConfigMaps extends Construct {
  /** ConfigMap names, in file order. */
  readonly names: string[] = [];

  constructor(scope: Construct, id: string, props: DashboardConfigMapsProps) {
    super(scope, id);
    const { model } = props;
    for (const [file, board] of Object.entries(kafkaDashboards(model))) {
      const name = `${model.spec.kafka.clusterName}-dashboard-${file.replace(/^kafka-/, '').replace(/\.json$/, '')}`;
      this.names.push(name);
      new k8s.KubeConfigMap(this, name, {
        metadata: {
          name,
          labels: { ...clusterLabels(model.spec), 'app.kubernetes.io/component': 'monitoring', ...GRAFANA_DASHBOARD_LABEL },
          annotations: { grafana_folder: 'Kafka' },
        },
        data: { [file]: renderDashboard(board) },
      });
    }
  }
}
