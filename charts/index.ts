import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { KafkaChart } from './kafka-chart';
import { MonitoringChart } from './monitoring-chart';
import { SecurityChart } from './security-chart';

export { KafkaChart } from './kafka-chart';
export { MonitoringChart } from './monitoring-chart';
export { SecurityChart } from './security-chart';

/**
 * Every chart of a Kubernetes environment, keyed by the file it is written to under `dist/<env>/kubernetes/`.
 * VM environments have none.
 */
export function addEnvironmentCharts(scope: Construct, model: ClusterModel): Record<string, Chart> {
  if (model.spec.runtime.kind !== 'kubernetes') return {};
  return {
    'kafka.yaml': new KafkaChart(scope, `${model.spec.name}-kafka`, model),
    'security.yaml': new SecurityChart(scope, `${model.spec.name}-security`, model),
    'monitoring.yaml': new MonitoringChart(scope, `${model.spec.name}-monitoring`, model),
  };
}
