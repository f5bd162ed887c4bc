import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { renderJmxExporterConfig } from '../../kafka/monitoring/jmx-exporter-config';
import { jmxExporterConfigMapName } from '../kafka-pod-template';
import { clusterLabels } from '../labels';

/** What a {@link JmxExporterConfigMap} needs: the cluster whose exporter rules to publish. */
export interface JmxExporterConfigMapProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

/**
 * The JMX exporter rules every controller and broker mounts (key `jmx-exporter.yaml`): byte for byte the file in
 * `dist/<env>/monitoring/jmx-exporter.yaml` that VM nodes load.
 */
export class JmxExporterConfigMap extends Construct {
  /** Name of the ConfigMap the Kafka pods mount the JMX exporter rules from. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: JmxExporterConfigMapProps) {
    super(scope, id);
    const { model } = props;
    this.name = jmxExporterConfigMapName(model);
    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: { name: this.name, labels: { ...clusterLabels(model.spec), 'app.kubernetes.io/component': 'monitoring' } },
      data: { 'jmx-exporter.yaml': renderJmxExporterConfig(model.spec) },
    });
  }
}
