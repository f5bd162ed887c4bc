/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), for checking rendered policies:
 * a connection is allowed when the source's egress and the destination's ingress both allow it. A pod that no
 * policy of a direction selects is not isolated in that direction. Rules within a policy, and policies, are unions.
 * Named ports and ipBlock `except` are not supported (our policies use neither), and an ipBlock never matches a pod.
 */

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { cidr: string };
}

interface PolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}

export interface NetworkPolicyObject {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly { ports?: readonly PolicyPort[]; from?: readonly PolicyPeer[] }[];
    readonly egress?: readonly { ports?: readonly PolicyPort[]; to?: readonly PolicyPeer[] }[];
  };
}

export interface Pod {
  readonly namespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Connection {
  readonly from: Pod;
  readonly to: Pod;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    switch (expression.operator) {
      case 'In':
        return has && (expression.values ?? []).includes(labels[expression.key]);
      case 'NotIn':
        return !has || !(expression.values ?? []).includes(labels[expression.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
  return byLabels && byExpressions;
}

function policyTypes(policy: NetworkPolicyObject): readonly string[] {
  // The API server's defaulting: Ingress always, Egress when egress rules are present.
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector) {
    return selectorMatches(peer.namespaceSelector, pod.namespaceLabels) && selectorMatches(peer.podSelector, pod.labels);
  }
  return pod.namespace === policyNamespace && selectorMatches(peer.podSelector, pod.labels);
}

function portMatches(ports: readonly PolicyPort[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((candidate) => {
    if ((candidate.protocol ?? 'TCP') !== protocol) return false;
    if (candidate.port === undefined) return true;
    if (typeof candidate.port === 'string') throw new Error(`named port ${candidate.port} is not supported by this evaluator`);
    return candidate.endPort === undefined ? candidate.port === port : port >= candidate.port && port <= candidate.endPort;
  });
}

function direction(
  policies: readonly NetworkPolicyObject[],
  subject: Pod,
  peer: Pod,
  port: number,
  protocol: string,
  type: 'Ingress' | 'Egress',
): boolean {
  const selecting = policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? subject.namespace) === subject.namespace &&
      policyTypes(policy).includes(type) &&
      selectorMatches(policy.spec.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) => {
    const namespace = policy.metadata.namespace ?? subject.namespace;
    const rules = type === 'Ingress' ? (policy.spec.ingress ?? []).map((rule) => ({ ports: rule.ports, peers: rule.from })) : (policy.spec.egress ?? []).map((rule) => ({ ports: rule.ports, peers: rule.to }));
    return rules.some(
      (rule) => portMatches(rule.ports, port, protocol) && (!rule.peers || rule.peers.length === 0 || rule.peers.some((candidate) => peerMatches(candidate, namespace, peer))),
    );
  });
}

/** Whether the policies let `from` open a connection to `to` on `port`. */
export function connectionAllowed(policies: readonly NetworkPolicyObject[], connection: Connection): boolean {
  const protocol = connection.protocol ?? 'TCP';
  return (
    direction(policies, connection.from, connection.to, connection.port, protocol, 'Egress') &&
    direction(policies, connection.to, connection.from, connection.port, protocol, 'Ingress')
  );
}
