import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../kafka/model/cluster-model';
import { listenerByKey } from '../kafka/model/cluster-model';
import { bootstrapServiceName } from '../kafka/model/names';
import { clusterLabels, roleSelector } from './labels';

/** What a {@link BootstrapService} needs: the cluster whose brokers it spans. */
export interface BootstrapServiceProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

/**
 * One stable address for clients' `bootstrap.servers`: `<cluster>-bootstrap.<ns>.svc:<client port>`. It spans all
 * brokers of all zones and only ready ones, so a first connection never lands on a broker that is still starting;
 * after bootstrapping, clients talk to each broker by its advertised per-pod name.
 */
export class BootstrapService extends Construct {
  /** Name of the Service, `<cluster>-bootstrap`; clients use `<name>.<namespace>.svc:<port>` as `bootstrap.servers`. */
  readonly name: string;
  /** Port of the brokers' client listener, which the Service exposes under the same number. */
  readonly port: number;

  constructor(scope: Construct, id: string, props: BootstrapServiceProps) {
    super(scope, id);
    const { spec } = props.model;
    this.name = bootstrapServiceName(spec);
    this.port = listenerByKey(props.model, 'client').port;
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, labels: { ...clusterLabels(spec), 'app.kubernetes.io/component': 'broker' } },
      spec: {
        type: 'ClusterIP',
        selector: roleSelector(spec, 'broker'),
        ports: [{ name: 'client', port: this.port, targetPort: k8s.IntOrString.fromString('client'), protocol: 'TCP' }],
      },
    });
  }
}
