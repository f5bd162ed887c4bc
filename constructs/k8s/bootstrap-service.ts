import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../kafka/model/cluster-model';
import { listenerByKey } from '../kafka/model/cluster-model';
import { bootstrapServiceName } from '../kafka/model/names';
import { clusterLabels, roleSelector } from './labels';

export interface BootstrapServiceProps {
  readonly model: ClusterModel;
}

/**
 * One stable address for clients' `bootstrap.servers`: `<cluster>-bootstrap.<ns>.svc:<client port>`. It spans all
 * brokers of all zones and only ready ones, so a first connection never lands on a broker that is still starting;
 * after bootstrapping, clients talk to each broker by its advertised per-pod name.
 */
export class BootstrapService extends Construct {
  readonly name: string;
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
