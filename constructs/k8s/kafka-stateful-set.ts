import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../kafka/model/cluster-model';
import { type NodeGroup, storageClassName } from '../kafka/kubernetes/deployment-plan';
import { DATA_VOLUME, kafkaPodTemplate } from './kafka-pod-template';
import { groupSelector, podLabels } from './labels';

/**
 * What a {@link KafkaStatefulSet} needs: the cluster, the group of nodes it runs, its config checksum and
 * ServiceAccount.
 */
export interface KafkaStatefulSetProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** The nodes this StatefulSet runs; its name is also the governing headless Service's name. */
  readonly group: NodeGroup;
  /** Checksum of the group's configuration, annotated on the pod template. */
  readonly configChecksum: string;
  /** ServiceAccount the pods run as (see {@link KafkaServiceAccount}: no RBAC, no mounted token). */
  readonly serviceAccountName: string;
  /**
   * How pod template changes reach running pods.
   * @default 'RollingUpdate' - one pod at a time, highest ordinal first
   */
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
}

/**
 * One StatefulSet of Kafka nodes: the controller quorum, or the brokers of one zone. Pods start in parallel
 * (a stuck pod must not keep its siblings from starting, and a quorum needs its voters up together), are replaced
 * one at a time, and keep their volumes when the StatefulSet is deleted or scaled down.
 */
export class KafkaStatefulSet extends Construct {
  /** Name of the StatefulSet: the group's name, shared with its governing headless Service. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaStatefulSetProps) {
    super(scope, id);
    const { model, group } = props;
    const { spec } = model;
    this.name = group.name;
    const labels = podLabels(spec, group.role, group.zone);
    new k8s.KubeStatefulSet(this, 'stateful-set', {
      metadata: { name: this.name, labels },
      spec: {
        serviceName: group.name,
        replicas: group.nodes.length,
        podManagementPolicy: 'Parallel',
        updateStrategy:
          (props.updateStrategy ?? 'RollingUpdate') === 'RollingUpdate'
            ? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }
            : { type: 'OnDelete' },
        // Volumes hold the only copy of a node's metadata and log segments: deleting or scaling the StatefulSet
        // must never delete them (a scaled-down broker that comes back finds its data and catches up).
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: groupSelector(spec, group.role, group.zone) },
        template: kafkaPodTemplate(model, group, labels, props.configChecksum, props.serviceAccountName),
        volumeClaimTemplates: [
          {
            metadata: { name: DATA_VOLUME, labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: storageClassName(spec, group.role),
              resources: { requests: { storage: k8s.Quantity.fromString(`${group.storageGiB}Gi`) } },
            },
          },
        ],
      },
    });
  }
}
