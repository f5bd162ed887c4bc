import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import { storageClassName, storageClassParameters, storageReclaimPolicy } from '../kafka/kubernetes/deployment-plan';
import type { NodeRole } from '../kafka/model/sizing';
import { clusterLabels } from './labels';

/** What a {@link KafkaStorageClass} needs: a `kubernetes` spec and the role whose volumes the class provisions. */
export interface KafkaStorageClassProps {
  /**
   * The validated environment spec, every default filled in (`ResolvedSpec`). Its runtime must be `kubernetes`;
   * `runtime.storageClass` gives the provisioner.
   */
  readonly spec: ResolvedSpec;
  /** Whose volumes the class provisions: each role has its own EBS parameters. */
  readonly role: NodeRole;
}

/**
 * An encrypted EBS StorageClass for one role's volumes. `WaitForFirstConsumer` creates each volume in the zone the
 * pod was scheduled to (an EBS volume cannot move between zones); expansion is allowed because StatefulSet volume
 * templates are immutable and growing a claim is the only way to grow a broker's disk.
 */
export class KafkaStorageClass extends Construct {
  /**
   * Name of the StorageClass the role's volume claims use: `<runtime.storageClass.name or <namespace>-<cluster>>-<role>`
   * (an existing class, `create: false`, keeps its own name).
   */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaStorageClassProps) {
    super(scope, id);
    const { spec, role } = props;
    if (spec.runtime.kind !== 'kubernetes') throw new Error(`KafkaStorageClass: ${spec.name} is not a kubernetes environment`);
    this.name = storageClassName(spec, role);
    clusterScoped(new k8s.KubeStorageClass(this, 'storage-class', {
      metadata: { name: this.name, labels: clusterLabels(spec) },
      provisioner: spec.runtime.storageClass.provisioner,
      parameters: storageClassParameters(spec, role),
      reclaimPolicy: storageReclaimPolicy(spec),
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    }));
  }
}
