import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { kafkaLoggingConfig } from '../constructs/kafka/kubernetes/start-script';
import { groupConfigChecksum, kubernetesRuntime, nodeGroups } from '../constructs/kafka/kubernetes/deployment-plan';
import { BrokerPool } from '../constructs/k8s/broker-pool';
import { ControllerQuorum } from '../constructs/k8s/controller-quorum';
import { KafkaConfigMap } from '../constructs/k8s/kafka-config-map';
import { KafkaNamespace } from '../constructs/k8s/kafka-namespace';
import { KafkaPriorityClass } from '../constructs/k8s/kafka-priority-class';
import { KafkaServiceAccount } from '../constructs/k8s/kafka-service-account';
import { KafkaStorageClass } from '../constructs/k8s/kafka-storage-class';
import { clusterLabels } from '../constructs/k8s/labels';

/**
 * The Kafka cluster of one Kubernetes environment, in apply order: namespace, cluster-scoped classes, config,
 * identities, the controller quorum, then the brokers.
 */
export class KafkaChart extends Chart {
  /** The KRaft controllers: their StatefulSet, headless Service and disruption budget. */
  readonly controllerQuorum: ControllerQuorum;
  /** The brokers: one StatefulSet per zone, their Services and the single broker disruption budget. */
  readonly brokerPool: BrokerPool;

  constructor(scope: Construct, id: string, model: ClusterModel) {
    const runtime = kubernetesRuntime(model.spec);
    const namespace = runtime.namespace;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    new KafkaNamespace(this, 'namespace', { name: namespace, labels: clusterLabels(model.spec) });
    if (runtime.priorityClass.create) new KafkaPriorityClass(this, 'priority-class', { spec: model.spec });
    if (runtime.storageClass.create) {
      for (const role of ['controller', 'broker'] as const) {
        new KafkaStorageClass(this, `${role}-storage-class`, { spec: model.spec, role });
      }
    }
    new KafkaConfigMap(this, 'config', { model, namespace });
    const controllerAccount = new KafkaServiceAccount(this, 'controller-service-account', { spec: model.spec, role: 'controller' });
    const brokerAccount = new KafkaServiceAccount(this, 'broker-service-account', { spec: model.spec, role: 'broker' });

    const loggingConfig = kafkaLoggingConfig();
    const checksums = new Map(nodeGroups(model).map((group) => [group.name, groupConfigChecksum(model, group, loggingConfig)]));
    const controllerChecksum = checksums.get(model.controllers[0].group);
    if (!controllerChecksum) throw new Error(`KafkaChart: the model of ${model.spec.name} has no controllers`);
    this.controllerQuorum = new ControllerQuorum(this, 'controllers', {
      model,
      configChecksum: controllerChecksum,
      serviceAccountName: controllerAccount.name,
    });
    this.brokerPool = new BrokerPool(this, 'brokers', { model, configChecksums: checksums, serviceAccountName: brokerAccount.name });
  }
}
