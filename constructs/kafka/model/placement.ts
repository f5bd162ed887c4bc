import type { ResolvedSpec, Tier } from '../spec/environment-spec';
import { instanceShape } from './instance-types';
import type { NodeRole, NodeSizing } from './sizing';
import type { KafkaNode } from './topology';

/**
 * The contract between the EKS node groups (Terraform, `<env>-nodes`) and the Kafka pods (cdk8s): the labels the
 * pods select and the taint they tolerate. Both sides import these names, so they cannot drift apart.
 * Zones need no label of ours: EKS sets `topology.kubernetes.io/zone` on every node.
 */

/** Node label naming the Kafka cluster a node is dedicated to. */
export const KAFKA_NODE_CLUSTER_LABEL = 'kafka-typed-infra.io/cluster';
/** Node label naming the role (`broker` or `controller`) of the pods a node is sized for. */
export const KAFKA_NODE_ROLE_LABEL = 'kafka-typed-infra.io/role';
/** Taint key keeping every other workload off Kafka's nodes; its value is the cluster name. */
export const KAFKA_DEDICATED_TAINT_KEY = 'kafka-typed-infra.io/dedicated';

/** The taint of Kafka's dedicated EKS nodes: only pods that tolerate it are scheduled there. */
export interface NodeTaint {
  /** Taint key, {@link KAFKA_DEDICATED_TAINT_KEY}. */
  readonly key: string;
  /** Taint value: the Kafka cluster name. */
  readonly value: string;
  /** Kubernetes spelling; EKS's API spells it `NO_SCHEDULE`. */
  readonly effect: 'NoSchedule';
}

/** A Kafka pod's toleration of its dedicated nodes' {@link NodeTaint}, as Kubernetes spells it. */
export interface PodToleration {
  /** Taint key tolerated, {@link KAFKA_DEDICATED_TAINT_KEY}. */
  readonly key: string;
  /** `Equal`: the taint's value must match too, so one cluster's pods never land on another's nodes. */
  readonly operator: 'Equal';
  /** Taint value tolerated: the Kafka cluster name. */
  readonly value: string;
  /** Effect tolerated: the taint's `NoSchedule`. */
  readonly effect: 'NoSchedule';
}

/** How a Kafka pod of `role` lands on its dedicated nodes. */
export interface KafkaPodPlacement {
  /** Labels the pod's `nodeSelector` (or required node affinity) must match. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The toleration of the dedicated nodes' taint. */
  readonly tolerations: readonly PodToleration[];
}

/** Node labels of the dedicated nodes of `role`: the cluster and the role, which the pods' node selector requires. */
export function kafkaNodeLabels(spec: ResolvedSpec, role: NodeRole): Record<string, string> {
  return { [KAFKA_NODE_CLUSTER_LABEL]: spec.kafka.clusterName, [KAFKA_NODE_ROLE_LABEL]: role };
}

/** The `NoSchedule` taint of every dedicated Kafka node of the cluster (key {@link KAFKA_DEDICATED_TAINT_KEY}, value the cluster name). */
export function kafkaNodeTaint(spec: ResolvedSpec): NodeTaint {
  return { key: KAFKA_DEDICATED_TAINT_KEY, value: spec.kafka.clusterName, effect: 'NoSchedule' };
}

/**
 * Where the pods of `role` must run, or undefined when this project manages no dedicated nodes for the
 * environment (no `aws.eks`): then pods may run on any node and must not select labels nobody sets.
 */
export function kafkaPodPlacement(spec: ResolvedSpec, role: NodeRole): KafkaPodPlacement | undefined {
  if (spec.runtime.kind !== 'kubernetes' || !spec.aws.eks) return undefined;
  const taint = kafkaNodeTaint(spec);
  return {
    nodeSelector: kafkaNodeLabels(spec, role),
    tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
  };
}

/**
 * What the kubelet, the OS and the node's daemon sets (CNI, kube-proxy, CSI, log shipper) need besides the Kafka
 * pod. EKS reserves ~6% of a core and ~255 MiB + 11 MiB per pod; daemon sets add a few hundred MiB more.
 */
export const NODE_SYSTEM_RESERVE = { cpu: 0.5, memoryGiB: 1.5 } as const;

/** Instance types tried, cheapest first, when a Kubernetes node size gives cpu and memory but no instance type. */
const NODE_INSTANCE_CANDIDATES = [
  't3.medium', 't3.large', 'm6i.large', 'r6i.large', 't3.xlarge', 'm6i.xlarge', 'r6i.xlarge',
  'm6i.2xlarge', 'r6i.2xlarge', 'm6i.4xlarge', 'r6i.4xlarge', 'm6i.8xlarge', 'r6i.8xlarge', 'r6i.16xlarge',
];

/** Whether `instanceType` holds one pod of `sizing` plus the node's system reserve. */
export function nodeFitsPod(instanceType: string, sizing: Pick<NodeSizing, 'cpu' | 'memoryGiB'>): boolean {
  const shape = instanceShape(instanceType);
  if (!shape) return true; // unknown types were accepted with explicit cpu/memory; trust the user
  return shape.cpu >= sizing.cpu + NODE_SYSTEM_RESERVE.cpu && shape.memoryGiB >= sizing.memoryGiB + NODE_SYSTEM_RESERVE.memoryGiB;
}

/**
 * The node's instance type: the one in the spec, else the cheapest candidate that holds the pod. Production never
 * gets a burstable (t3) type: once its CPU credits run out a broker slows down for everyone.
 */
export function nodeInstanceType(sizing: NodeSizing, tier: Tier): string | undefined {
  if (sizing.instanceType) return sizing.instanceType;
  return NODE_INSTANCE_CANDIDATES.filter((candidate) => tier !== 'production' || !candidate.startsWith('t')).find((candidate) => nodeFitsPod(candidate, sizing));
}

/** One EKS managed node group: one zone, one role. */
export interface KafkaNodeGroupPlan {
  /** Node group name, `<cluster>-<role>-<zone>`. */
  readonly name: string;
  /** Availability zone of the group's subnet and nodes. */
  readonly zone: string;
  /** The Kafka role whose pods the group's nodes run. */
  readonly role: NodeRole;
  /** EC2 instance type of the nodes: the spec's, else the cheapest that holds one pod ({@link nodeInstanceType}). */
  readonly instanceType: string;
  /** Kafka pods of this role in this zone: one node each. */
  readonly nodes: number;
  /** Nodes during a rolling update: `nodes + maxSurgePerZone`. */
  readonly maxNodes: number;
  /** Kubernetes labels of the nodes, {@link kafkaNodeLabels}. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taint of the nodes, {@link kafkaNodeTaint}. */
  readonly taint: NodeTaint;
}

/**
 * Dedicated node groups of a Kubernetes environment: per zone (= rack) and role, one node per Kafka pod, so a
 * node failure takes one Kafka process. Empty when the spec names no EKS cluster.
 */
export function kafkaNodeGroups(
  spec: ResolvedSpec,
  nodes: readonly KafkaNode[],
  sizing: Readonly<Record<NodeRole, NodeSizing>>,
): KafkaNodeGroupPlan[] {
  const eks = spec.aws.eks;
  if (spec.runtime.kind !== 'kubernetes' || !eks) return [];
  const plans: KafkaNodeGroupPlan[] = [];
  for (const role of ['controller', 'broker'] as const) {
    const instanceType = nodeInstanceType(sizing[role], spec.tier);
    if (!instanceType) continue; // reported by awsInvariantProblems
    for (const zone of spec.aws.availabilityZones) {
      const count = nodes.filter((node) => node.role === role && node.zone === zone).length;
      if (count === 0) continue;
      plans.push({
        name: `${spec.kafka.clusterName}-${role}-${zone}`,
        zone,
        role,
        instanceType,
        nodes: count,
        maxNodes: count + eks.maxSurgePerZone,
        labels: kafkaNodeLabels(spec, role),
        taint: kafkaNodeTaint(spec),
      });
    }
  }
  return plans;
}
