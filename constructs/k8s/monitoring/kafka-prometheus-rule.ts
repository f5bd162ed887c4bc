import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { prometheusRuleGroups } from '../../kafka/monitoring/prometheus-rules';
import { clusterLabels } from '../labels';

/** What a {@link KafkaPrometheusRule} needs: the cluster whose rule groups to publish. */
export interface KafkaPrometheusRuleProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

/** The cluster's alert and recording rules as a PrometheusRule: the same groups as `prometheus-rules.yaml`. */
export class KafkaPrometheusRule extends Construct {
  /** Name of the PrometheusRule, `<cluster>-alerts`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaPrometheusRuleProps) {
    super(scope, id);
    const { spec } = props.model;
    this.name = `${spec.kafka.clusterName}-alerts`;
    new ApiObject(this, 'rule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: this.name,
        labels: { ...clusterLabels(spec), 'app.kubernetes.io/component': 'monitoring', ...spec.monitoring.prometheusOperator.selectorLabels },
      },
      spec: { groups: prometheusRuleGroups(props.model) },
    });
  }
}
