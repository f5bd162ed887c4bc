import { Construct } from 'constructs';
import type { ClusterModel } from '../kafka/model/cluster-model';
import { type NodeGroup, brokerUpdateStrategy, externalEndpoints, nodeGroups } from '../kafka/kubernetes/deployment-plan';
import { BootstrapService } from './bootstrap-service';
import { ExternalLoadBalancer } from './external-load-balancer';
import { HeadlessService } from './headless-service';
import { KafkaDisruptionBudget } from './kafka-disruption-budget';
import { kafkaContainerPorts } from './kafka-pod-template';
import { KafkaStatefulSet } from './kafka-stateful-set';

/** What a {@link BrokerPool} needs: the cluster, each broker group's config checksum and the pods' ServiceAccount. */
export interface BrokerPoolProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** Checksum of each broker group's configuration, by group (StatefulSet) name. */
  readonly configChecksums: ReadonlyMap<string, string>;
  /** ServiceAccount the broker pods run as. */
  readonly serviceAccountName: string;
}

/**
 * Rack-aware brokers: one StatefulSet (and headless Service) per zone, pinned to it, so `broker.rack` is known at
 * synth time and needs no RBAC to read node labels. One disruption budget spans the brokers of every zone, and one
 * bootstrap Service gives clients a single address; with an external listener, each broker and the bootstrap
 * address also get a load balancer.
 */
export class BrokerPool extends Construct {
  /** The broker groups, one per zone, in zone order. */
  readonly groups: readonly NodeGroup[];
  /** Name of the bootstrap Service in front of every ready broker (see {@link BootstrapService}). */
  readonly bootstrapServiceName: string;
  /** Port of the bootstrap Service: the brokers' client listener port. */
  readonly bootstrapPort: number;

  constructor(scope: Construct, id: string, props: BrokerPoolProps) {
    super(scope, id);
    const { model } = props;
    this.groups = nodeGroups(model).filter((group) => group.role === 'broker');
    const ports = kafkaContainerPorts(model, 'broker');
    const updateStrategy = brokerUpdateStrategy(model.spec);
    for (const group of this.groups) {
      const checksum = props.configChecksums.get(group.name);
      if (!checksum) throw new Error(`BrokerPool: no config checksum for ${group.name}`);
      new HeadlessService(this, `${group.zone}-headless`, { spec: model.spec, group, ports });
      new KafkaStatefulSet(this, `${group.zone}-stateful-set`, {
        model,
        group,
        configChecksum: checksum,
        serviceAccountName: props.serviceAccountName,
        updateStrategy,
      });
    }
    new KafkaDisruptionBudget(this, 'budget', { spec: model.spec, role: 'broker' });
    const bootstrap = new BootstrapService(this, 'bootstrap', { model });
    this.bootstrapServiceName = bootstrap.name;
    this.bootstrapPort = bootstrap.port;
    for (const endpoint of externalEndpoints(model)) {
      new ExternalLoadBalancer(this, endpoint.name, { spec: model.spec, endpoint });
    }
  }
}
