import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/cluster-model';
import { KafkaConfigMap } from '../constructs/k8s/kafka-config-map';
import { KafkaNamespace } from '../constructs/k8s/kafka-namespace';
import { clusterLabels } from '../constructs/k8s/labels';

/** The Kafka cluster of one Kubernetes environment: namespace and per-node configuration. */
export class KafkaChart extends Chart {
  constructor(scope: Construct, id: string, model: ClusterModel) {
    if (model.spec.runtime.kind !== 'kubernetes') {
      throw new Error(`KafkaChart: environment ${model.spec.name} runs on ${model.spec.runtime.kind}, not kubernetes`);
    }
    const namespace = model.spec.runtime.namespace;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    new KafkaNamespace(this, 'namespace', { name: namespace, labels: clusterLabels(model.spec) });
    new KafkaConfigMap(this, 'config', { model, namespace });
  }
}
