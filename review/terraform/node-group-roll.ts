import type { EnvironmentOutput, KubernetesObject, TerraformDocument } from '../synth-root';
import { objectsOfKinds } from '../synth-root';
import { schemaPath } from './replacement-rules';
import type { ResourceChange } from './terraform-diff';

/**
 * EKS managed node groups that roll: an in-place update of the launch template version, the AMI release or the
 * Kubernetes version makes EKS replace every node of the group (a new node first, then the old one cordoned, drained
 * and terminated, up to `update_config.max_unavailable` at a time). Every Kafka pod on such a node restarts. A
 * launch template gets a new version whenever anything but its own tags and description changes, its
 * `tag_specifications` included: so a change of the environment's tags rolls every node group too.
 */

/** Node group attributes whose in-place change replaces the group's nodes. */
const ROLLING_ATTRIBUTES = ['launch_template.version', 'release_version', 'version'];

/** A StatefulSet's pods that can run on a node group, and what paces their eviction. */
export interface HostedPods {
  readonly statefulSet: string;
  /** The Kafka nodes (pod names) of the StatefulSet, from `dist/<env>/kafka/`. */
  readonly nodes: readonly string[];
  /** `maxUnavailable` of the tightest PodDisruptionBudget selecting the pods; undefined when none does. */
  readonly budgetMaxUnavailable?: number;
}

export interface NodeGroupRoll {
  readonly change: ResourceChange;
  readonly name: string;
  /** Zones of the group's subnets (resolved through the network stack's outputs); `?` where unresolved. */
  readonly zones: readonly string[];
  /** Nodes drained at the same time (`update_config.max_unavailable`; EKS's default is 1). */
  readonly maxUnavailable: number | string;
  /** `force_update_version`: EKS terminates nodes whose pods a budget does not let go. */
  readonly forced: boolean;
  /** What makes it roll, e.g. `new launch template version (aws_launch_template.x: tag_specifications)`. */
  readonly reasons: readonly string[];
  readonly hosted: readonly HostedPods[];
}

const REFERENCE = /^\$\{([^}]*)\}$/;

function remoteStateProducer(document: TerraformDocument, name: string): string | undefined {
  const key: unknown = document.data?.terraform_remote_state?.[name]?.config?.key;
  return typeof key === 'string' ? key.replace(/^.*\//, '').replace(/\.tfstate$/, '') : undefined;
}

/** The zone of a subnet reference: `${aws_subnet.x.id}` in the stack, or a remote-state output of the network stack. */
function subnetZone(reference: unknown, stack: string, output: EnvironmentOutput, depth = 0): string {
  const inner = typeof reference === 'string' ? REFERENCE.exec(reference)?.[1] : undefined;
  if (!inner || depth > 3) return '?';
  const document = output.stacks.get(stack);
  if (!document) return '?';
  const local = /^aws_subnet\.([^.]+)\.id$/.exec(inner);
  if (local) {
    const zone: unknown = document.resource?.aws_subnet?.[local[1]]?.availability_zone;
    return typeof zone === 'string' ? zone : '?';
  }
  const remote = /^data\.terraform_remote_state\.([^.]+)\.outputs\.([^.]+)$/.exec(inner);
  const producer = remote ? remoteStateProducer(document, remote[1]) : undefined;
  if (!remote || !producer) return '?';
  return subnetZone(output.stacks.get(producer)?.output?.[remote[2]]?.value, producer, output, depth + 1);
}

function launchTemplateReason(change: ResourceChange, terraform: readonly ResourceChange[]): string | undefined {
  const version: unknown = change.config.launch_template?.version;
  const address = typeof version === 'string' ? /\$\{(aws_launch_template\.[^.}]+)\./.exec(version)?.[1] : undefined;
  const template = terraform.find((other) => other.stack === change.stack && other.address === address);
  if (!template) return undefined;
  const changed = [...new Set(template.attributes.filter((attribute) => !attribute.ignored).map((attribute) => schemaPath(attribute.path).split('.')[0]))]
    .filter((attribute) => !['tags', 'tags_all', 'description'].includes(attribute))
    .sort();
  return `new launch template version (${template.address}: ${changed.join(', ') || 'changed'})`;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

/** Zones a StatefulSet's pods are pinned to by a required node affinity; undefined when any zone will do. */
function pinnedZones(statefulSet: Record<string, any>): string[] | undefined {
  const terms: Record<string, any>[] = statefulSet.spec?.template?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const zones = terms.flatMap((term) => (term.matchExpressions ?? []).filter((expression: Record<string, any>) => expression.key === 'topology.kubernetes.io/zone' && expression.operator === 'In').flatMap((expression: Record<string, any>) => expression.values ?? []));
  return zones.length > 0 ? zones : undefined;
}

function hostedPods(group: Record<string, any>, zones: readonly string[], objects: readonly KubernetesObject[], output: EnvironmentOutput): HostedPods[] {
  const budgets = objects.filter((object) => object.body.kind === 'PodDisruptionBudget').map((object) => object.body);
  return objects
    .filter((object) => object.body.kind === 'StatefulSet')
    .map((object) => object.body)
    .filter((statefulSet) => {
      if (!selects(statefulSet.spec?.template?.spec?.nodeSelector, group.labels)) return false;
      const pinned = pinnedZones(statefulSet);
      return !pinned || zones.includes('?') || zones.some((zone) => pinned.includes(zone));
    })
    .map((statefulSet) => {
      const name: string = statefulSet.metadata.name;
      const nodes = [...output.nodes.keys()].filter((node) => node.replace(/-\d+$/, '') === name);
      const podLabels = statefulSet.spec?.template?.metadata?.labels;
      const limits = budgets
        .filter((budget) => budget.metadata?.namespace === statefulSet.metadata?.namespace && selects(budget.spec?.selector?.matchLabels, podLabels))
        .map((budget) => budget.spec?.maxUnavailable)
        .filter((value): value is number => typeof value === 'number');
      return { statefulSet: name, nodes, ...(limits.length > 0 ? { budgetMaxUnavailable: Math.min(...limits) } : {}) };
    })
    .filter((hosted) => hosted.nodes.length > 0);
}

/** The node groups of an environment's Terraform changes that roll their nodes, with the Kafka pods each hosts. */
export function nodeGroupRolls(terraform: readonly ResourceChange[], head: EnvironmentOutput | undefined): NodeGroupRoll[] {
  const updates = terraform.filter((change) => change.type === 'aws_eks_node_group' && change.action === 'update');
  const rolling = updates
    .map((change) => ({ change, paths: change.attributes.filter((attribute) => !attribute.ignored && ROLLING_ATTRIBUTES.includes(schemaPath(attribute.path))).map((attribute) => schemaPath(attribute.path)) }))
    .filter(({ paths }) => paths.length > 0);
  if (rolling.length === 0 || !head) return [];
  const objects = objectsOfKinds(head, ['StatefulSet', 'PodDisruptionBudget']);
  return rolling.map(({ change, paths }) => {
    const config = change.config;
    const zones = [...new Set<string>((Array.isArray(config.subnet_ids) ? config.subnet_ids : []).map((subnet: unknown) => subnetZone(subnet, change.stack, head)))].sort();
    const updateConfig = Array.isArray(config.update_config) ? config.update_config[0] : config.update_config;
    const maxUnavailable = updateConfig?.max_unavailable ?? (updateConfig?.max_unavailable_percentage !== undefined ? `${updateConfig.max_unavailable_percentage}%` : 1);
    const reasons = [...new Set(paths)].sort().map((path) => (path === 'launch_template.version' ? (launchTemplateReason(change, terraform) ?? 'new launch template version') : `${path} changes`));
    return {
      change,
      name: String(config.node_group_name ?? change.address),
      zones,
      maxUnavailable,
      forced: config.force_update_version === true,
      reasons,
      hosted: hostedPods(config, zones, objects, head),
    };
  });
}
