import { type ClusterModel, listenerByKey } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import { jmxExporterAgent } from '../monitoring/jmx-exporter-agent';
import { kafkaRollerLabels, kafkaRollerName } from '../operations/kubernetes-roller';
import type { PodPeer } from '../spec/security';

/**
 * The intended network isolation of a Kubernetes cluster, as plain data: which pods may reach which port of which
 * Kafka pods. `constructs/k8s/security/kafka-network-policies.ts` renders it as NetworkPolicies; a test evaluates the
 * rendered policies with Kubernetes' semantics and compares the result with the spec.
 */

/** Pods selected by labels, in the Kafka namespace (`namespace` undefined) or in namespaces matched by name/labels. */
export interface PeerSelector {
  /** Namespace labels to match; undefined = the policy's own namespace. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Pod labels to match; undefined = every pod of the matched namespaces. */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** An address range outside the cluster's pods (the API server); excludes the two fields above. */
  readonly cidr?: string;
  /** Ranges carved out of `cidr`. */
  readonly except?: readonly string[];
}

export interface PortSpec {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

export interface TrafficRule {
  readonly ports: readonly PortSpec[];
  readonly peers: readonly PeerSelector[];
}

export interface NetworkPolicyModel {
  readonly name: string;
  /** Pods of the Kafka namespace the policy applies to; `{}` = all. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Undefined: the policy does not restrict ingress; `[]`: no ingress at all. */
  readonly ingress?: readonly TrafficRule[];
  readonly egress?: readonly TrafficRule[];
}

/** The label a pod of the Kafka namespace carries to be a client (the reconcile job, kafka-exporter). */
export function clientPodLabels(spec: ResolvedSpec): Record<string, string> {
  return { 'kafka-typed-infra.io/client-of': spec.kafka.clusterName };
}

/** The namespace label Kubernetes sets on every namespace (since 1.22), to select a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function peerSelector(peer: PodPeer): PeerSelector {
  return {
    namespaceLabels: { ...peer.namespaceLabels, ...(peer.namespace ? { [NAMESPACE_NAME_LABEL]: peer.namespace } : {}) },
    ...(peer.podLabels ? { podLabels: peer.podLabels } : {}),
  };
}

function roleLabels(spec: ResolvedSpec, role: 'broker' | 'controller'): Record<string, string> {
  // Same keys as constructs/k8s/labels.ts roleSelector; kept here so the pure model has no cdk8s dependency.
  return { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': role };
}

const tcp = (port: number): PortSpec => ({ port, protocol: 'TCP' });

export function networkPolicyModels(model: ClusterModel): NetworkPolicyModel[] {
  const { spec } = model;
  const cluster = spec.kafka.clusterName;
  const brokers: PeerSelector = { podLabels: roleLabels(spec, 'broker') };
  const controllers: PeerSelector = { podLabels: roleLabels(spec, 'controller') };
  const inNamespaceClients: PeerSelector = { podLabels: clientPodLabels(spec) };
  const client = listenerByKey(model, 'client').port;
  const replication = listenerByKey(model, 'replication').port;
  const controller = listenerByKey(model, 'controller').port;
  const network = spec.security.network;
  const metrics: TrafficRule[] = spec.monitoring.enabled
    ? [{ ports: [tcp(spec.monitoring.jmxExporterPort)], peers: [peerSelector(network.prometheus)] }]
    : [];
  const dns: TrafficRule = { ports: [{ port: 53, protocol: 'UDP' }, tcp(53)], peers: [peerSelector(network.dns)] };
  // The JMX exporter's init container downloads the agent from Maven Central unless a mirror image carries it; that
  // needs HTTPS to the internet, never to addresses inside the VPC (pods, nodes). A mirror image removes the rule.
  const downloadsAgent = spec.monitoring.enabled && jmxExporterAgent(spec).jarPathInImage === undefined;
  const agentDownload: TrafficRule[] = downloadsAgent ? [{ ports: [tcp(443)], peers: [{ cidr: '0.0.0.0/0', except: [spec.aws.vpcCidr] }] }] : [];
  const roller: NetworkPolicyModel[] = [
    {
      name: kafkaRollerName(spec),
      podLabels: kafkaRollerLabels(spec),
      // The Kubernetes API (managed control planes serve it on 443, others on 6443); the client port comes with the
      // client label its pods also carry (policy `<cluster>-clients`).
      egress: [{ ports: [tcp(443), tcp(6443)], peers: network.apiServerCidrs.map((cidr) => ({ cidr })) }, dns],
    },
  ];
  // The external listener is reached through load balancers: from the allowed client ranges (or anywhere, for an
  // internet-facing one without ranges), and from the VPC, where the NLBs' own addresses and health checks come from.
  const external = model.listeners.find((listener) => listener.key === 'external');
  const externalAccess = spec.runtime.kind === 'kubernetes' ? spec.runtime.externalAccess : undefined;
  const externalSources = externalAccess?.sourceRanges.length ? externalAccess.sourceRanges : externalAccess?.internetFacing ? ['0.0.0.0/0'] : [];
  const externalIngress: TrafficRule[] = external
    ? [{ ports: [tcp(external.port)], peers: [...new Set([spec.aws.vpcCidr, ...externalSources])].map((cidr) => ({ cidr })) }]
    : [];
  return [
    // Selecting every pod with no rules denies all traffic the other policies do not allow.
    { name: `${cluster}-default-deny`, podLabels: {}, ingress: [], egress: [] },
    {
      name: `${cluster}-broker`,
      podLabels: roleLabels(spec, 'broker'),
      ingress: [
        { ports: [tcp(client)], peers: [inNamespaceClients, ...network.clients.map(peerSelector)] },
        { ports: [tcp(replication)], peers: [brokers] },
        ...externalIngress,
        ...metrics,
      ],
      // Brokers dial each other (replication) and the quorum; nothing else but DNS.
      egress: [{ ports: [tcp(replication)], peers: [brokers] }, { ports: [tcp(controller)], peers: [controllers] }, dns, ...agentDownload],
    },
    {
      name: `${cluster}-controller`,
      podLabels: roleLabels(spec, 'controller'),
      ingress: [{ ports: [tcp(controller)], peers: [controllers, brokers] }, ...metrics],
      egress: [{ ports: [tcp(controller)], peers: [controllers] }, dns, ...agentDownload],
    },
    {
      name: `${cluster}-clients`,
      podLabels: clientPodLabels(spec),
      egress: [{ ports: [tcp(client)], peers: [brokers] }, dns],
    },
    ...roller,
  ];
}
