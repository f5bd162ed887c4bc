import { createHash } from 'node:crypto';
import { type ClusterModel, listenerByKey } from '../model/cluster-model';
import type { KubernetesRuntime, ResolvedSpec, StorageSpec } from '../spec/environment-spec';
import { advertisedHost, externalBootstrapHost } from '../model/listeners';
import { persistentVolumeKeyAlias } from '../model/names';
import { KAFKA_PATHS } from '../model/paths';
import { renderServerProperties } from '../config/server-properties';
import type { NodeRole } from '../model/sizing';
import type { KafkaNode } from '../model/topology';
import { renderJmxExporterConfig } from '../monitoring/jmx-exporter-config';

/**
 * Decisions of the Kubernetes runtime that do not need cdk8s: names, image, storage parameters, the node groups
 * (one StatefulSet each) and the config checksum that rolls pods. The constructs in `constructs/k8s/` only
 * translate these into objects, and tests call these functions directly.
 */

/** Where a pod sees the ConfigMap: one `<pod-name>.properties` per node plus the logging config. */
export const KUBERNETES_CONFIG_DIR = '/etc/kafka/nodes';
/** Kafka's own log files and GC logs would go here; logs go to stdout, but the scripts create the folder. */
export const KUBERNETES_LOG_DIR = '/var/log/kafka';
/** The apache/kafka image's installation. */
export const KAFKA_HOME = '/opt/kafka';

/** The ConfigMap with every node's server.properties. */
export function configMapName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-config`;
}

/** The runtime options of a Kubernetes environment; throws for VM environments (a programming error). */
export function kubernetesRuntime(spec: ResolvedSpec): KubernetesRuntime {
  if (spec.runtime.kind !== 'kubernetes') {
    throw new Error(`environment ${spec.name} runs on ${spec.runtime.kind}, not kubernetes`);
  }
  return spec.runtime;
}

/** `apache/kafka:<version>` unless the spec pins another reference (a mirror or a digest). */
export function kafkaImage(spec: ResolvedSpec): string {
  return spec.kafka.image ?? `apache/kafka:${spec.kafka.version}`;
}

/** Cluster-scoped names get the namespace in front, so two environments can share one Kubernetes cluster. */
function clusterScopedName(spec: ResolvedSpec): string {
  return `${kubernetesRuntime(spec).namespace}-${spec.kafka.clusterName}`;
}

/**
 * The StorageClass of a role's volumes. Each role gets its own class when we create them, because a StorageClass
 * carries one set of EBS parameters and the brokers' provisioned IOPS would be invalid (or wasted) on a small
 * controller volume. An existing class (`storageClass.create: false`) serves both roles.
 */
export function storageClassName(spec: ResolvedSpec, role: NodeRole): string {
  const { create, name } = kubernetesRuntime(spec).storageClass;
  if (!create && name) return name;
  return `${name ?? clusterScopedName(spec)}-${role}`;
}

/** Name of the Kafka pods' PriorityClass: `runtime.priorityClass.name`, or `<namespace>-<clusterName>`. */
export function priorityClassName(spec: ResolvedSpec): string {
  return kubernetesRuntime(spec).priorityClass.name ?? clusterScopedName(spec);
}

/** Production keeps volumes whose claims were deleted: a mistaken `kubectl delete pvc` must not destroy data. */
export function storageReclaimPolicy(spec: ResolvedSpec): 'Retain' | 'Delete' {
  return kubernetesRuntime(spec).storageClass.reclaimPolicy ?? (spec.tier === 'production' ? 'Retain' : 'Delete');
}

/** EBS CSI parameters of a role's StorageClass: encrypted, with the volume type, IOPS and throughput of the spec. */
export function storageClassParameters(spec: ResolvedSpec, role: NodeRole): Record<string, string> {
  const storage: StorageSpec = (role === 'broker' ? spec.kafka.brokers : spec.kafka.controllers).storage;
  const runtime = kubernetesRuntime(spec);
  // xfs: `log.dirs` is the volume root, and ext4's lost+found there is a directory Kafka cannot parse as a partition.
  const parameters: Record<string, string> = { type: storage.volumeType, encrypted: 'true', 'csi.storage.k8s.io/fstype': 'xfs' };
  if (storage.iops !== undefined) parameters.iops = String(storage.iops);
  if (storage.throughputMiBps !== undefined) parameters.throughput = String(storage.throughputMiBps);
  if (runtime.storageClass.kmsKeyArn) parameters.kmsKeyId = runtime.storageClass.kmsKeyArn;
  // Production with its own node groups uses the environment's key (EC2 takes an alias name in place of a key ARN).
  else if (spec.tier === 'production' && spec.aws.eks) parameters.kmsKeyId = `alias/${persistentVolumeKeyAlias(spec)}`;
  return parameters;
}

/**
 * Kubernetes rolls each StatefulSet on its own: with one broker StatefulSet per zone, 'RollingUpdate' would restart
 * one broker in every zone at the same time, and a partition with a replica in each zone would go offline. The PDB
 * does not help, because StatefulSet updates are not evictions, and even within one StatefulSet Kubernetes moves on
 * when a pod is Ready, before its replicas are back in sync. So brokers default to 'OnDelete' and the roller
 * (operations/kubernetes-roller.ts) restarts outdated pods one at a time, each only when the cluster can afford it.
 */
export function brokerUpdateStrategy(spec: ResolvedSpec): 'RollingUpdate' | 'OnDelete' {
  return kubernetesRuntime(spec).brokerUpdateStrategy ?? 'OnDelete';
}

/** One StatefulSet: the controller quorum, or the brokers of one zone. */
export interface NodeGroup {
  /** StatefulSet name, which is also the name of its governing headless Service. */
  readonly name: string;
  /** Whether the group runs controllers or brokers. */
  readonly role: NodeRole;
  /** The zone every pod is pinned to (brokers). @default - none: controllers spread over every zone */
  readonly zone?: string;
  /** The nodes in ordinal order; their count is the StatefulSet's replicas. */
  readonly nodes: readonly KafkaNode[];
  /** Where the volume is mounted: Kafka's `log.dirs` of this role. */
  readonly dataPath: string;
  /** Size of each pod's volume claim in GiB (`kafka.<role>.storage.sizeGiB`). */
  readonly storageGiB: number;
}

/** The StatefulSets of a cluster: the controller quorum first, then one broker group per zone in zone order. */
export function nodeGroups(model: ClusterModel): NodeGroup[] {
  const groups = new Map<string, KafkaNode[]>();
  for (const node of model.nodes) groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
  return [...groups.values()].map((nodes) => {
    const [first] = nodes;
    const broker = first.role === 'broker';
    return {
      name: first.group,
      role: first.role,
      ...(broker ? { zone: first.zone } : {}),
      nodes,
      dataPath: broker ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir,
      storageGiB: (broker ? model.spec.kafka.brokers : model.spec.kafka.controllers).storage.sizeGiB,
    };
  });
}

/**
 * Checksum of a group's configuration, put on its pod template so that a config change rolls the group's pods.
 * It covers the group's first node only (plus the logging config and the JMX exporter rules the agent loads at
 * start, so a changed rule reaches every pod): every setting that is not node-specific shows
 * up there, and the node-specific ones (node.id, host) follow from settings that do too. Taking all nodes would
 * roll every existing broker of a zone when a broker is added to it, although none of their files changed.
 */
export function groupConfigChecksum(model: ClusterModel, group: NodeGroup, loggingConfig: string): string {
  const hash = createHash('sha256');
  hash.update(renderServerProperties(model, group.nodes[0]));
  hash.update('\0');
  hash.update(loggingConfig);
  if (model.spec.monitoring.enabled) hash.update('\0').update(renderJmxExporterConfig(model.spec));
  return hash.digest('hex');
}

/** A CPU count as a Kubernetes quantity in millicores, e.g. 0.5 → "500m", 4 → "4000m". */
export function cpuQuantity(cpu: number): string {
  return `${Math.round(cpu * 1000)}m`;
}

/** GiB as a Kubernetes quantity: whole GiB as "32Gi", fractions in MiB ("1.5" → "1536Mi"). */
export function memoryQuantity(gib: number): string {
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`;
}

/** A LoadBalancer Service of the external listener: one per broker, plus the bootstrap one. */
export interface ExternalEndpoint {
  /** Service name, by node id (stable under scale-out, short enough for any pod name). */
  readonly name: string;
  /** The DNS name clients dial, published by external-dns from the Service's annotation. */
  readonly host: string;
  /** Port of the external listener, on the load balancer and on the broker. */
  readonly port: number;
  /** The one pod behind it. @default - none: the bootstrap endpoint spans every broker */
  readonly pod?: string;
}

/** The external endpoints, or none when the spec has no external listener. */
export function externalEndpoints(model: ClusterModel): ExternalEndpoint[] {
  const { spec } = model;
  const bootstrapHost = externalBootstrapHost(spec);
  if (!bootstrapHost) return [];
  const listener = listenerByKey(model, 'external');
  const prefix = `${spec.kafka.clusterName}-external`;
  return [
    { name: `${prefix}-bootstrap`, host: bootstrapHost, port: listener.port },
    ...model.brokers.map((node) => ({ name: `${prefix}-${node.nodeId}`, host: advertisedHost(spec, listener, node), port: listener.port, pod: node.name })),
  ];
}

/** Annotations of an external Service: AWS Load Balancer Controller scheme and targets, the external-dns name. */
export function externalServiceAnnotations(spec: ResolvedSpec, endpoint: ExternalEndpoint): Record<string, string> {
  const access = kubernetesRuntime(spec).externalAccess;
  return {
    'service.beta.kubernetes.io/aws-load-balancer-scheme': access.internetFacing ? 'internet-facing' : 'internal',
    // Targets are pod IPs: traffic goes straight to the broker, not through a node port on another machine.
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'external-dns.alpha.kubernetes.io/hostname': endpoint.host,
    ...access.annotations,
  };
}
