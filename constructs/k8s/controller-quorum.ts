import { Construct } from 'constructs';
import type { ClusterModel } from '../kafka/model/cluster-model';
import { nodeGroups } from '../kafka/kubernetes/deployment-plan';
import { controllerUpdateStrategy } from '../kafka/operations/kubernetes-roller';
import { HeadlessService } from './headless-service';
import { KafkaDisruptionBudget } from './kafka-disruption-budget';
import { kafkaContainerPorts } from './kafka-pod-template';
import { KafkaStatefulSet } from './kafka-stateful-set';

/** What a {@link ControllerQuorum} needs: the cluster, the controllers' config checksum and their ServiceAccount. */
export interface ControllerQuorumProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** Checksum of the controllers' configuration (see `groupConfigChecksum`). */
  readonly configChecksum: string;
  /** ServiceAccount the controller pods run as. */
  readonly serviceAccountName: string;
}

/**
 * The KRaft controller quorum: one StatefulSet of controller-only nodes spread over the zones, its headless
 * Service (the names in `controller.quorum.voters`) and a disruption budget of one. Updates wait for the roller
 * (`OnDelete`).
 */
export class ControllerQuorum extends Construct {
  /** The StatefulSet's and headless Service's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ControllerQuorumProps) {
    super(scope, id);
    const { model } = props;
    const group = nodeGroups(model).find((candidate) => candidate.role === 'controller');
    if (!group) throw new Error(`ControllerQuorum: the model of ${model.spec.name} has no controllers`);
    this.name = group.name;
    new HeadlessService(this, 'headless', { spec: model.spec, group, ports: kafkaContainerPorts(model, 'controller') });
    new KafkaStatefulSet(this, 'stateful-set', {
      model,
      group,
      configChecksum: props.configChecksum,
      serviceAccountName: props.serviceAccountName,
      // The roller restarts controllers one at a time, each only when every voter has caught up.
      updateStrategy: controllerUpdateStrategy(),
    });
    new KafkaDisruptionBudget(this, 'budget', { spec: model.spec, role: 'controller' });
  }
}
