import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { type ClusterModel } from '../kafka/cluster-model';
import { renderServerProperties } from '../kafka/server-properties';
import { clusterLabels } from './labels';

export interface KafkaConfigMapProps {
  readonly model: ClusterModel;
  /** Namespace of the ConfigMap. */
  readonly namespace: string;
}

/**
 * The rendered server.properties of every node, keyed `<pod-name>.properties`: the very bytes written to
 * `dist/<env>/kafka/`, so what reviewers read is what the pods load.
 */
export class KafkaConfigMap extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaConfigMapProps) {
    super(scope, id);
    const { model } = props;
    this.name = `${model.spec.kafka.clusterName}-config`;
    new kplus.ConfigMap(this, 'config', {
      metadata: { name: this.name, namespace: props.namespace, labels: clusterLabels(model.spec) },
      data: Object.fromEntries(model.nodes.map((node) => [`${node.name}.properties`, renderServerProperties(model, node)])),
    });
  }
}
