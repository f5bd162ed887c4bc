import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { type PeerSelector, type TrafficRule, networkPolicyModels } from '../../kafka/security/network-policy';
import { securityLabels } from './security-labels';

/** What {@link KafkaNetworkPolicies} needs: the cluster whose flows to admit. */
export interface KafkaNetworkPoliciesProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

function peer(selector: PeerSelector): k8s.NetworkPolicyPeer {
  if (selector.cidr) return { ipBlock: { cidr: selector.cidr, ...(selector.except ? { except: [...selector.except] } : {}) } };
  return {
    ...(selector.namespaceLabels ? { namespaceSelector: { matchLabels: { ...selector.namespaceLabels } } } : {}),
    podSelector: { matchLabels: { ...selector.podLabels } },
  };
}

function ports(rule: TrafficRule): k8s.NetworkPolicyPort[] {
  return rule.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port.port), protocol: port.protocol }));
}

/**
 * Default deny for the Kafka namespace, then exactly the flows of `networkPolicyModels`: clients to the client port,
 * brokers and controllers to each other on their ports, Prometheus to the metrics port, DNS out.
 */
export class KafkaNetworkPolicies extends Construct {
  /** Names of the NetworkPolicies (`<cluster>-default-deny` and one per workload), as `networkPolicyModels(model)` lists them. */
  readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: KafkaNetworkPoliciesProps) {
    super(scope, id);
    const labels = securityLabels(props.model.spec, 'network-policy');
    const models = networkPolicyModels(props.model);
    this.names = models.map((model) => model.name);
    for (const model of models) {
      const policyTypes = [...(model.ingress ? ['Ingress'] : []), ...(model.egress ? ['Egress'] : [])];
      new k8s.KubeNetworkPolicy(this, model.name, {
        metadata: { name: model.name, labels },
        spec: {
          podSelector: { matchLabels: { ...model.podLabels } },
          policyTypes,
          ...(model.ingress ? { ingress: model.ingress.map((rule) => ({ ports: ports(rule), from: rule.peers.map(peer) })) } : {}),
          ...(model.egress ? { egress: model.egress.map((rule) => ({ ports: ports(rule), to: rule.peers.map(peer) })) } : {}),
        },
      });
    }
  }
}
