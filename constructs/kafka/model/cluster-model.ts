import type { ResolvedSpec } from '../spec/environment-spec';
import { type KafkaListener, resolveListeners } from './listeners';
import { type NodeRole, type NodeSizing, resolveSizing } from './sizing';
import { type KafkaNode, clusterNodes } from './topology';

/**
 * The cloud-agnostic description of one cluster, derived from a validated spec.
 * Both runtimes (cdk8s and cdktf) and every rendered file read from it, so they cannot disagree.
 */
export interface ClusterModel {
  /** The validated spec, every default filled in. */
  readonly spec: ResolvedSpec;
  /** Every node, controllers first, then brokers zone by zone. */
  readonly nodes: readonly KafkaNode[];
  /** The KRaft controllers (the quorum voters). */
  readonly controllers: readonly KafkaNode[];
  /** The brokers. */
  readonly brokers: readonly KafkaNode[];
  /** The listeners, in the order they are rendered. */
  readonly listeners: readonly KafkaListener[];
  /** Resources and derived thread counts per role. */
  readonly sizing: Readonly<Record<NodeRole, NodeSizing>>;
  /** `controller.quorum.voters`: `<id>@<host>:<port>` of every controller. */
  readonly quorumVoters: string;
  /** Every broker's client listener, `host:port`, comma-separated: what applications bootstrap from. */
  readonly bootstrapServers: string;
  /** Principals with full rights: the brokers' and controllers' certificate names and the admin user. */
  readonly superUsers: readonly string[];
  /** Whether an authoriser is configured (every listener authenticates its peers). */
  readonly authorization: boolean;
}

/** The SCRAM user created at storage-format time; the reconcile job and operators act as it. */
export const ADMIN_USER = 'admin';

/** The listener of a spec field (`kafka.listeners.<key>`); throws when the model has none. */
export function listenerByKey(model: ClusterModel, key: KafkaListener['key']): KafkaListener {
  const listener = model.listeners.find((candidate) => candidate.key === key);
  if (!listener) throw new Error(`no ${key} listener in the model`);
  return listener;
}

/** Certificate common name of a role's nodes, which `ssl.principal.mapping.rules` turns into its principal. */
export function rolePrincipalName(spec: ResolvedSpec, role: NodeRole): string {
  return `${spec.kafka.clusterName}-${role}`;
}

/** The model of a validated spec: nodes and their ids, listeners, sizing, quorum and bootstrap addresses. */
export function buildClusterModel(spec: ResolvedSpec): ClusterModel {
  const nodes = clusterNodes(spec);
  const controllers = nodes.filter((node) => node.role === 'controller');
  const brokers = nodes.filter((node) => node.role === 'broker');
  const listeners = resolveListeners(spec);
  const controllerPort = spec.kafka.listeners.controller.port;
  const clientPort = spec.kafka.listeners.client.port;
  // An authoriser only makes sense when every principal is authenticated; dev without auth runs without one.
  const authorization = listeners.every((listener) => listener.authentication !== 'none');
  return {
    spec,
    nodes,
    controllers,
    brokers,
    listeners,
    sizing: {
      controller: resolveSizing(spec.kafka.controllers.size, 'controller'),
      broker: resolveSizing(spec.kafka.brokers.size, 'broker'),
    },
    quorumVoters: controllers.map((node) => `${node.nodeId}@${node.host}:${controllerPort}`).join(','),
    bootstrapServers: brokers.map((node) => `${node.host}:${clientPort}`).join(','),
    superUsers: authorization
      ? [`User:${rolePrincipalName(spec, 'broker')}`, `User:${rolePrincipalName(spec, 'controller')}`, `User:${ADMIN_USER}`]
      : [],
    authorization,
  };
}
