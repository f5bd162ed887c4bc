import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { type ClusterModel } from '../kafka/model/cluster-model';
import { LOGGING_CONFIG_KEY, kafkaLoggingConfig } from '../kafka/kubernetes/start-script';
import { configMapName } from '../kafka/kubernetes/deployment-plan';
import { renderServerProperties } from '../kafka/config/server-properties';
import { clusterLabels } from './labels';

/** What a {@link KafkaConfigMap} needs: the cluster whose nodes' server.properties it holds, and its namespace. */
export interface KafkaConfigMapProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** Namespace of the ConfigMap. */
  readonly namespace: string;
}

/**
 * The rendered server.properties of every node, keyed `<pod-name>.properties`: the very bytes written to
 * `dist/<env>/kafka/`, so what reviewers read is what the pods load. Each pod picks its own key by its name.
 * Adding a node adds a key and changes no other; Kafka's logging config sits next to them.
 */
export class KafkaConfigMap extends Construct {
  /** Name of the ConfigMap the Kafka pods mount their configuration from. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaConfigMapProps) {
    super(scope, id);
    const { model } = props;
    this.name = configMapName(model.spec);
    new kplus.ConfigMap(this, 'config', {
      metadata: { name: this.name, namespace: props.namespace, labels: clusterLabels(model.spec) },
      data: {
        ...Object.fromEntries(model.nodes.map((node) => [`${node.name}.properties`, renderServerProperties(model, node)])),
        [LOGGING_CONFIG_KEY]: kafkaLoggingConfig(),
      },
    });
  }
}
