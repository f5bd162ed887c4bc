import { type ConfigRisk, configChangeRisks } from '../constructs/kafka/analysis/config-change-risk';
import { type NodeRole, type RollOrder, compareNodeNames, rollOrder } from '../constructs/kafka/analysis/roll-order';
import { diffJson } from './json-diff';
import { type EnvironmentOutput, type KubernetesObject, type NodeConfig, differingObjects, kubernetesMentions, runsOnKubernetes } from './synth-root';
import { REPLACEMENT_RULES, schemaPath } from './terraform/replacement-rules';
import type { ResourceChange } from './terraform/terraform-diff';
import { nodeGroupRolls } from './terraform/node-group-roll';
import { kafkaRollerLabels } from '../constructs/kafka/operations/kubernetes-roller';

const ROLLER_COMPONENT = kafkaRollerLabels({ kafka: { clusterName: '' } } as Parameters<typeof kafkaRollerLabels>[0])['app.kubernetes.io/component'];

/**
 * The Kafka view of a change: per node, the config keys added, changed and removed, whether (and by what) the
 * node restarts, and the order of restarts that keeps every partition within min.insync.replicas.
 */

export interface KeyChange {
  readonly key: string;
  readonly before?: string;
  readonly after?: string;
}

/**
 * Who restarts a node: Kubernetes itself (RollingUpdate), the certificate roller CronJob (OnDelete StatefulSets,
 * one broker at a time), Terraform (an instance replaced, or stopped for an update), EKS (a node group rolling its
 * nodes: the pod restarts wherever the roll takes its node) or the operator by hand.
 */
export type RestartMechanism = 'kubernetes-rolling-update' | 'roller' | 'manual-pod-delete' | 'terraform-replace' | 'terraform-stop-start' | 'manual-instance-replace' | 'node-group-roll';

export interface NodeRestart {
  readonly mechanism: RestartMechanism;
  readonly reasons: readonly string[];
  /** The StatefulSet (Kubernetes) or Terraform address (VMs) behind the node. */
  readonly owner: string;
}

export interface NodeChange {
  readonly node: string;
  readonly role: NodeRole;
  readonly nodeId?: number;
  readonly rack?: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly keys: readonly KeyChange[];
  readonly restart?: NodeRestart;
  readonly risks: readonly ConfigRisk[];
}

export interface KafkaChanges {
  readonly nodes: readonly NodeChange[];
  readonly roll: RollOrder;
  readonly versionBefore?: string;
  readonly versionAfter?: string;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

function roleOf(config: NodeConfig): NodeRole {
  return (config.properties.get('process.roles') ?? '').split(',').includes('broker') ? 'broker' : 'controller';
}

function keyChanges(before: NodeConfig | undefined, after: NodeConfig | undefined): KeyChange[] {
  const old = before?.properties ?? new Map<string, string>();
  const fresh = after?.properties ?? new Map<string, string>();
  const keys = [...new Set([...old.keys(), ...fresh.keys()])].sort();
  return keys
    .filter((key) => old.get(key) !== fresh.get(key))
    .map((key) => ({ key, ...(old.has(key) ? { before: old.get(key) } : {}), ...(fresh.has(key) ? { after: fresh.get(key) } : {}) }));
}

/** The StatefulSet of a pod-named node among the objects that differ (an unchanged one restarts nothing). */
function statefulSetOf(node: string, objects: readonly KubernetesObject[]): Record<string, any> | undefined {
  const owner = node.replace(/-\d+$/, '');
  return objects.find((object) => object.body.kind === 'StatefulSet' && object.body.metadata.name === owner)?.body;
}

/** The roller CronJob (constructs/k8s/operations/kafka-roller.ts), found by its component label without parsing the YAML. */
function hasRoller(output: EnvironmentOutput | undefined): boolean {
  return kubernetesMentions(output, `app.kubernetes.io/component: ${ROLLER_COMPONENT}`);
}

function kubernetesRestart(node: string, base: EnvironmentOutput | undefined, head: EnvironmentOutput | undefined): NodeRestart | undefined {
  const objects = differingObjects(base, head);
  const before = statefulSetOf(node, objects.base);
  const after = statefulSetOf(node, objects.head);
  if (!before || !after) return undefined;
  const fields = diffJson(before.spec?.template, after.spec?.template);
  if (fields.length === 0) return undefined;
  const reasons = fields.map((field) => `spec.template.${field.path}`);
  const strategy = after.spec?.updateStrategy?.type ?? 'RollingUpdate';
  const mechanism: RestartMechanism = strategy === 'OnDelete' ? (hasRoller(head) ? 'roller' : 'manual-pod-delete') : 'kubernetes-rolling-update';
  return { mechanism, reasons, owner: `StatefulSet ${after.metadata.name}` };
}

function instanceOf(node: string, terraform: readonly ResourceChange[]): ResourceChange | undefined {
  return terraform.find((change) => change.type === 'aws_instance' && (change.config?.tags?.Name === node || change.baseConfig?.tags?.Name === node));
}

function vmRestart(node: string, configChanged: boolean, terraform: readonly ResourceChange[]): NodeRestart | undefined {
  const instance = instanceOf(node, terraform);
  if (instance?.action === 'replace') {
    return { mechanism: 'terraform-replace', reasons: instance.attributes.filter((attribute) => attribute.forcesReplacement).map((attribute) => attribute.path), owner: instance.address };
  }
  const stops = REPLACEMENT_RULES.aws_instance.stopsOnUpdate ?? [];
  const stopping = instance?.action === 'update' ? instance.attributes.filter((attribute) => !attribute.ignored && stops.includes(schemaPath(attribute.path).split('.')[0])) : [];
  if (instance && stopping.length > 0) return { mechanism: 'terraform-stop-start', reasons: stopping.map((attribute) => attribute.path), owner: instance.address };
  if (configChanged) {
    // Instances ignore user-data changes (a plain apply never restarts the fleet at once): the operator rolls them.
    return { mechanism: 'manual-instance-replace', reasons: ['server.properties changed (user data is in ignore_changes)'], owner: instance?.address ?? node };
  }
  return undefined;
}

function numberOf(nodes: readonly NodeConfig[], key: string, pick: (values: number[]) => number, fallback: number): number {
  const values = nodes.map((node) => Number(node.properties.get(key))).filter((value) => Number.isFinite(value));
  return values.length > 0 ? pick(values) : fallback;
}

export function diffKafka(
  base: EnvironmentOutput | undefined,
  head: EnvironmentOutput | undefined,
  terraform: readonly ResourceChange[],
): KafkaChanges {
  const oldNodes = base?.nodes ?? new Map<string, NodeConfig>();
  const newNodes = head?.nodes ?? new Map<string, NodeConfig>();
  const onKubernetes = runsOnKubernetes(head ?? base);
  const rolls = onKubernetes ? nodeGroupRolls(terraform, head) : [];
  /** A node group roll restarts the pod whatever its StatefulSet says: the replacement pod starts from the new template. */
  const nodeGroupRestart = (node: string): NodeRestart | undefined => {
    const hosting = rolls.filter((roll) => roll.hosted.some((pods) => pods.nodes.includes(node)));
    if (hosting.length === 0) return undefined;
    return { mechanism: 'node-group-roll', reasons: [...new Set(hosting.flatMap((roll) => roll.reasons))].sort(), owner: hosting.map((roll) => roll.name).join(', ') };
  };
  const nodes: NodeChange[] = [];
  for (const name of [...new Set([...oldNodes.keys(), ...newNodes.keys()])].sort(compareNodeNames)) {
    const before = oldNodes.get(name);
    const after = newNodes.get(name);
    const config = (after ?? before)!;
    const keys = keyChanges(before, after);
    const status = !before ? 'added' : !after ? 'removed' : keys.length > 0 ? 'changed' : 'unchanged';
    const restart = before && after ? (onKubernetes ? (nodeGroupRestart(name) ?? kubernetesRestart(name, base, head)) : vmRestart(name, keys.length > 0, terraform)) : undefined;
    const nodeId = Number(config.properties.get('node.id'));
    const rack = config.properties.get('broker.rack');
    nodes.push({
      node: name,
      role: roleOf(config),
      ...(Number.isFinite(nodeId) ? { nodeId } : {}),
      ...(rack ? { rack } : {}),
      status,
      keys,
      ...(restart ? { restart } : {}),
      risks: before && after ? configChangeRisks(before.properties, after.properties) : [],
    });
  }
  const brokerConfigs = [...oldNodes.values(), ...newNodes.values()].filter((node) => roleOf(node) === 'broker');
  // Existing topics keep the replication factor they were created with; the stricter min.insync.replicas applies.
  const replicationFactor = numberOf(brokerConfigs, 'default.replication.factor', (values) => Math.min(...values), 1);
  const minInsyncReplicas = numberOf(brokerConfigs, 'min.insync.replicas', (values) => Math.max(...values), 1);
  const controllerCount = Math.min(
    ...[base, head].filter((output): output is EnvironmentOutput => output !== undefined).map((output) => [...output.nodes.values()].filter((node) => roleOf(node) === 'controller').length),
  );
  // EKS picks the order of a node group roll: the roll order is for the restarts the operator or the roller drives.
  const restarting = nodes.filter((node) => node.restart && node.restart.mechanism !== 'node-group-roll');
  const firstController = nodes.find((node) => node.role === 'controller')?.node;
  const controllerStrategy = firstController ? statefulSetOf(firstController, differingObjects(base, head).head)?.spec?.updateStrategy?.type : undefined;
  const roll = rollOrder({
    nodes: restarting.map((node) => ({ name: node.node, role: node.role, ...(node.rack ? { rack: node.rack } : {}) })),
    replicationFactor,
    minInsyncReplicas,
    controllerCount: Number.isFinite(controllerCount) ? controllerCount : 0,
    controllerOrder: onKubernetes && controllerStrategy !== 'OnDelete' ? 'descending' : 'ascending',
  });
  const versionOf = (output: EnvironmentOutput | undefined) => [...(output?.nodes.values() ?? [])].find((node) => node.kafkaVersion)?.kafkaVersion;
  const versionBefore = versionOf(base);
  const versionAfter = versionOf(head);
  return {
    nodes,
    roll,
    ...(versionBefore ? { versionBefore } : {}),
    ...(versionAfter ? { versionAfter } : {}),
    replicationFactor,
    minInsyncReplicas,
  };
}
