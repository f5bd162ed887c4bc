import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import type { NodeGroup } from '../kafka/kubernetes/deployment-plan';
import type { KafkaContainerPort } from './kafka-pod-template';
import { groupSelector, podLabels } from './labels';

/** What a {@link HeadlessService} needs: the spec, the StatefulSet group it governs and the pods' named ports. */
export interface HeadlessServiceProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** The StatefulSet this Service governs; the Service takes its name, which is part of every pod's DNS name. */
  readonly group: NodeGroup;
  /** The named ports of the group's pods. */
  readonly ports: readonly KafkaContainerPort[];
}

/**
 * The governing Service of one StatefulSet: gives each pod the stable name `<pod>.<group>.<ns>.svc.<domain>` that
 * `advertised.listeners`, the quorum voters and certificate SANs use. Not-ready pods are published too, because
 * controllers must find each other to elect a leader before any of them is ready, and a starting broker must be
 * reachable by name while it catches up.
 */
export class HeadlessService extends Construct {
  /** Name of the Service: the group's (StatefulSet's) name, part of each pod's DNS name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: HeadlessServiceProps) {
    super(scope, id);
    const { spec, group } = props;
    this.name = group.name;
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, labels: podLabels(spec, group.role, group.zone) },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: groupSelector(spec, group.role, group.zone),
        ports: props.ports.map((port) => ({
          name: port.name,
          port: port.containerPort,
          targetPort: k8s.IntOrString.fromString(port.name),
          protocol: 'TCP',
        })),
      },
    });
  }
}
