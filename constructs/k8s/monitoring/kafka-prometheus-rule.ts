import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { prometheusRuleGroups } from '../../kafka/monitoring/prometheus-rules';
import { clusterLabels } from '../labels';

export interface KafkaPrometheusRuleProps {
  readonly model: ClusterModel;
}

/** The cluster's alert and recording rules as a PrometheusRule: the same groups as `prometheus-rules.yaml`. */
export class KafkaPrometheusRule extends Construct {
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
