/**
 * The order in which to restart Kafka nodes so that no partition drops below `min.insync.replicas` and the
 * controller quorum keeps its majority: controllers first (a broker must not run a newer release than the
 * quorum it registers with), one at a time, then brokers one at a time. One broker down leaves every partition
 * RF − 1 in-sync replicas; acks=all writes continue only while that is at least min.insync.replicas.
 */

export type NodeRole = 'controller' | 'broker';

export interface RollingNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly nodeId?: number;
  /** `broker.rack`, the node's zone. */
  readonly rack?: string;
}

export interface RollOrderInput {
  /** The nodes that must restart. */
  readonly nodes: readonly RollingNode[];
  /** Replication factor of the cluster's topics (`default.replication.factor`). */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  /** Voters of the controller quorum. */
  readonly controllerCount: number;
  /**
   * Controllers restart highest name first when Kubernetes rolls their StatefulSet itself (RollingUpdate goes
   * from the highest ordinal down). @default 'ascending'
   */
  readonly controllerOrder?: 'ascending' | 'descending';
}

export interface RollStep {
  readonly step: number;
  readonly node: string;
  readonly role: NodeRole;
  readonly rack?: string;
}

export interface RollOrder {
  readonly steps: readonly RollStep[];
  /** With one broker down, every partition keeps at least min.insync.replicas in-sync replicas. */
  readonly keepsMinInsyncReplicas: boolean;
  /** With one controller down, the quorum keeps its majority. */
  readonly keepsQuorum: boolean;
  /** Why a restart cannot keep the guarantees, when it cannot. */
  readonly warnings: readonly string[];
}

/** Sorts node names so that `...-2` comes before `...-10`. */
export function compareNodeNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function rollOrder(input: RollOrderInput): RollOrder {
  const controllers = input.nodes.filter((node) => node.role === 'controller').sort((a, b) => compareNodeNames(a.name, b.name));
  if (input.controllerOrder === 'descending') controllers.reverse();
  const brokers = input.nodes.filter((node) => node.role === 'broker').sort((a, b) => compareNodeNames(a.name, b.name));
  const steps = [...controllers, ...brokers].map((node, index) => ({ step: index + 1, node: node.name, role: node.role, ...(node.rack ? { rack: node.rack } : {}) }));
  const warnings: string[] = [];
  const replicasLeft = input.replicationFactor - 1;
  const keepsMinInsyncReplicas = brokers.length === 0 || replicasLeft >= input.minInsyncReplicas;
  if (!keepsMinInsyncReplicas) {
    warnings.push(
      replicasLeft === 0
        ? `replication factor ${input.replicationFactor}: the partitions of a restarting broker are offline until it is back`
        : `replication factor ${input.replicationFactor} with min.insync.replicas=${input.minInsyncReplicas}: while a broker restarts, acks=all writes to its partitions fail`,
    );
  }
  const majority = Math.floor(input.controllerCount / 2) + 1;
  const keepsQuorum = controllers.length === 0 || input.controllerCount - 1 >= majority;
  if (!keepsQuorum) warnings.push(`a quorum of ${input.controllerCount} controller(s) has no leader while one restarts: metadata changes stop until it is back`);
  return { steps, keepsMinInsyncReplicas, keepsQuorum, warnings };
}
