import { configRiskDangers } from './config-risks';
import { type Danger, type DangerRule, type EnvironmentDiff, listOf, objectName } from './danger';
import { brokerZones, nodeLabel } from './node-facts';
import type { ObjectChange } from '../kubernetes-diff';
import { nodeGroupRolls } from '../terraform/node-group-roll';

const ORPHAN_DELETE_DOC = 'docs/kubernetes.md#how-it-works';

/** Bytes of a Kubernetes quantity (`1000Gi`, `20G`, `512Mi`); NaN when it is not one. */
export function quantityBytes(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)([KMGTPE]i?)?$/.exec(String(quantity ?? ''));
  if (!match) return Number.NaN;
  const units: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  return Number(match[1]) * (match[2] ? units[match[2]] : 1);
}

const parallelRestart: DangerRule = (diff) => {
  const dangers: Danger[] = [];
  const restarting = diff.kafka.nodes.filter((node) => node.restart);
  // Kubernetes rolls every RollingUpdate StatefulSet at the same time: one broker per such StatefulSet at once.
  const rollingOwners = [...new Set(restarting.filter((node) => node.role === 'broker' && node.restart!.mechanism === 'kubernetes-rolling-update').map((node) => node.restart!.owner))].sort();
  if (rollingOwners.length > 1) {
    const zones = [...new Set(restarting.filter((node) => rollingOwners.includes(node.restart!.owner)).map((node) => node.rack ?? '?'))].sort();
    dangers.push({ category: 'availability', rule: 'parallel-restart', what: `brokers in ${zones.length} zones (${listOf(zones)}) restart at the same time`, where: `${diff.environment}: ${listOf(rollingOwners)} (updateStrategy RollingUpdate)`, why: 'Kubernetes rolls each StatefulSet on its own: one broker per zone goes down at once, which can take every replica of a partition offline', instead: 'use updateStrategy OnDelete for broker StatefulSets (runtime.brokerUpdateStrategy) so the roller restarts one broker of the cluster at a time', link: 'docs/kubernetes.md#rolling-changes-safely' });
  }
  for (const role of ['broker', 'controller'] as const) {
    const byTerraform = restarting.filter((node) => node.role === role && (node.restart!.mechanism === 'terraform-replace' || node.restart!.mechanism === 'terraform-stop-start'));
    if (byTerraform.length > 1) {
      const zones = [...new Set(byTerraform.map((node) => node.rack).filter((rack): rack is string => rack !== undefined))].sort();
      dangers.push({
        category: 'availability',
        rule: 'parallel-restart',
        what: `${byTerraform.length} ${role}s restart at once${zones.length > 1 ? ` in ${zones.length} zones` : ''}: ${listOf(byTerraform.map(nodeLabel))}`,
        where: `${diff.environment}: ${listOf([...new Set(byTerraform.map((node) => node.restart!.owner))])}`,
        why: role === 'broker' ? 'terraform apply replaces or stops these instances in parallel: partitions with replicas on them go offline' : 'terraform apply restarts these controllers in parallel: the quorum loses its majority and the cluster stops accepting metadata changes',
        instead: 'apply the change one node at a time (terraform apply -target=<address> or -replace=<address>), waiting for under-replicated partitions to return to 0 in between',
        link: 'docs/aws.md#changing-a-running-vm-cluster',
      });
    }
  }
  return dangers;
};

function storageOf(template: Record<string, any>): number {
  return quantityBytes(template?.spec?.resources?.requests?.storage);
}

const IMMUTABLE_STATEFULSET = ['spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates', 'spec.podManagementPolicy'];

function changedPrefixes(change: ObjectChange, prefixes: readonly string[]): string[] {
  return prefixes.filter((prefix) => change.fields.some((field) => field.path === prefix || field.path.startsWith(`${prefix}.`) || field.path.startsWith(`${prefix}[`)));
}

/** One danger per distinct finding, naming every object it applies to (the same change in every zone is one item). */
function grouped(dangers: readonly (Danger & { readonly object: string })[]): Danger[] {
  const byWhat = new Map<string, { danger: Danger; objects: string[] }>();
  for (const { object, ...danger } of dangers) {
    const entry = byWhat.get(danger.what) ?? { danger, objects: [] };
    entry.objects.push(object);
    byWhat.set(danger.what, entry);
  }
  return [...byWhat.values()].map(({ danger, objects }) => ({ ...danger, where: `${danger.where}: ${listOf(objects)}` }));
}

const immutableStatefulSetField: DangerRule = (diff) =>
  grouped(
    diff.kubernetes
      .filter((change) => change.action === 'change' && change.kind === 'StatefulSet')
      .flatMap((change) => {
        const fields = changedPrefixes(change, IMMUTABLE_STATEFULSET);
        if (fields.length === 0) return [];
        return [{
          category: 'availability' as const,
          rule: 'immutable-statefulset-field',
          what: `immutable StatefulSet field(s) changed: ${fields.join(', ')}`,
          where: `${diff.environment} (${change.file})`,
          object: objectName(change),
          why: 'Kubernetes rejects the update (Argo CD fails at sync): these fields cannot change on an existing StatefulSet',
          instead: `re-create each StatefulSet without deleting its pods (kubectl delete statefulset <name> -n ${change.namespace ?? '<namespace>'} --cascade=orphan), then apply; for a new volume size also patch every existing claim (kubectl patch pvc data-<pod> ...)`,
          link: ORPHAN_DELETE_DOC,
        }];
      }),
  );

const volumeShrunk: DangerRule = (diff) => {
  const claims: (Danger & { object: string })[] = [];
  for (const change of diff.kubernetes.filter((candidate) => candidate.action === 'change' && candidate.kind === 'StatefulSet')) {
    const before = new Map<string, Record<string, any>>((change.before?.spec?.volumeClaimTemplates ?? []).map((template: Record<string, any>) => [template.metadata?.name, template]));
    for (const template of change.after?.spec?.volumeClaimTemplates ?? []) {
      const old = before.get(template.metadata?.name);
      if (old && storageOf(template) < storageOf(old)) {
        claims.push({ category: 'availability', rule: 'volume-shrunk', what: `volume claim ${template.metadata.name} shrinks from ${old.spec.resources.requests.storage} to ${template.spec.resources.requests.storage}`, where: diff.environment, object: objectName(change), why: 'a PersistentVolumeClaim cannot shrink: the existing claims keep their size and the new template never applies to them', instead: 'keep the size; to use smaller disks, add brokers with the new size and move partitions to them' });
      }
    }
  }
  for (const change of diff.terraform.filter((candidate) => candidate.action === 'update' && candidate.type === 'aws_ebs_volume')) {
    const size = change.attributes.find((attribute) => attribute.path === 'size');
    if (size && Number(size.after) < Number(size.before)) {
      claims.push({ category: 'availability', rule: 'volume-shrunk', what: `EBS volume shrinks from ${size.before} to ${size.after} GiB`, where: change.stack, object: String(change.config?.tags?.Name ?? change.address), why: 'EBS volumes cannot shrink: terraform apply fails on ModifyVolume', instead: 'keep the size; to use smaller disks, add nodes with the new size and move partitions to them' });
    }
  }
  const dangers = grouped(claims);
  return dangers;
};

const IMMUTABLE_OTHER: Readonly<Record<string, readonly string[]>> = {
  StorageClass: ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'],
  Service: ['spec.clusterIP'],
  Deployment: ['spec.selector'],
};

const immutableJobTemplate: DangerRule = (diff) =>
  diff.kubernetes
    .filter((change) => change.action === 'change' && change.kind === 'Job' && changedPrefixes(change, ['spec.template', 'spec.selector']).length > 0)
    .map((change) => ({ category: 'availability', rule: 'immutable-job-template', what: 'a Job’s pod template changed', where: `${diff.environment}: ${objectName(change)} (${change.file})`, why: 'a Job’s template is immutable: the apply fails until the Job is deleted', instead: `delete the finished Job first (kubectl delete job ${change.name}), or run it from a CronJob whose jobTemplate may change` }));

const immutableField: DangerRule = (diff) =>
  diff.kubernetes
    .filter((change) => change.action === 'change' && IMMUTABLE_OTHER[change.kind])
    .flatMap((change) => {
      const fields = changedPrefixes(change, IMMUTABLE_OTHER[change.kind]);
      return fields.length === 0 ? [] : [{ category: 'availability' as const, rule: 'immutable-field', what: `immutable field(s) of a ${change.kind} changed: ${fields.join(', ')}`, where: `${diff.environment}: ${objectName(change)} (${change.file})`, why: `Kubernetes rejects the update of an existing ${change.kind}`, instead: `delete and re-create the ${change.kind} deliberately (existing volumes keep their settings)` }];
    });

function pdbAllowance(body: Record<string, any> | undefined): { maxUnavailable?: number; minAvailable?: number } {
  const spec = body?.spec ?? {};
  const number = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);
  return { ...(spec.maxUnavailable !== undefined ? { maxUnavailable: number(spec.maxUnavailable) } : {}), ...(spec.minAvailable !== undefined ? { minAvailable: number(spec.minAvailable) } : {}) };
}

const pdbLoosened: DangerRule = (diff) =>
  diff.kubernetes
    .filter((change) => change.kind === 'PodDisruptionBudget' && change.action !== 'add')
    .flatMap((change) => {
      const before = pdbAllowance(change.before);
      const after = pdbAllowance(change.after);
      const loosened =
        change.action === 'remove' ||
        (before.maxUnavailable !== undefined && (after.maxUnavailable === undefined || !(after.maxUnavailable <= before.maxUnavailable))) ||
        (before.minAvailable !== undefined && (after.minAvailable === undefined || !(after.minAvailable >= before.minAvailable))) ||
        changedPrefixes(change, ['spec.selector']).length > 0;
      if (!loosened) return [];
      const text = (allowance: ReturnType<typeof pdbAllowance>) => Object.entries(allowance).map(([key, value]) => `${key} ${value}`).join(', ') || 'none';
      return [{ category: 'availability' as const, rule: 'pdb-loosened', what: change.action === 'remove' ? 'a PodDisruptionBudget is removed' : `PodDisruptionBudget loosened (${text(before)} → ${text(after)}${changedPrefixes(change, ['spec.selector']).length > 0 ? ', selector changed' : ''})`, where: `${diff.environment}: ${objectName(change)}`, why: 'node drains and evictions may then take more Kafka pods at once: two replicas of a partition down together', instead: 'keep one budget over all brokers with maxUnavailable 1 (and one over the controllers)' }];
    });

const zoneAdded: DangerRule = (diff) => {
  if (!diff.base || !diff.head) return [];
  const before = new Set(brokerZones(diff.base));
  return brokerZones(diff.head)
    .filter((zone) => !before.has(zone))
    .map((zone) => ({ category: 'availability' as const, rule: 'zone-added', what: `zone ${zone} is added`, where: `${diff.environment}: brokers of ${zone}`, why: 'existing partitions stay on the old zones: the new brokers are empty and the replica placement no longer spreads over every zone', instead: 'after the new brokers run, reassign partitions (kafka-reassign-partitions.sh) so each partition spans the zones' }));
};

const networkReplaced: DangerRule = (diff) => {
  const replaced = diff.terraform
    .filter((change) => (change.type === 'aws_vpc' && change.action !== 'update' && change.action !== 'create') || (change.type === 'aws_subnet' && change.action === 'replace'))
    .sort((a, b) => Number(b.type === 'aws_vpc') - Number(a.type === 'aws_vpc'));
  if (replaced.length === 0) return [];
  return [{ category: 'availability', rule: 'network-replaced', what: `the network is replaced: ${listOf(replaced.map((change) => `${change.address} (${change.action}${change.attributes.some((attribute) => attribute.forcesReplacement) ? `: ${change.attributes.filter((attribute) => attribute.forcesReplacement && !attribute.knownAfterApply).map((attribute) => attribute.path).join(', ') || 'its VPC is replaced'}` : ''})`), 3)}`, where: `${listOf([...new Set(replaced.map((change) => change.stack))])}`, why: 'everything inside a replaced VPC or subnet (endpoints, instances, node groups, load balancers) is destroyed and re-created: a cluster-wide outage', instead: 'keep the VPC range and subnets; build a new environment beside the old one and migrate clients and data (MirrorMaker 2)' }];
};

const nodeGroupReplaced: DangerRule = (diff) => {
  const groups = diff.terraform.filter((change) => change.type === 'aws_eks_node_group' && (change.action === 'replace' || change.action === 'delete'));
  if (groups.length === 0) return [];
  return [{ category: 'availability', rule: 'node-group-replaced', what: `${groups.length} EKS node group(s) hosting Kafka are ${groups.every((group) => group.action === 'delete') ? 'destroyed' : 'replaced'}: ${listOf(groups.map((group) => String(group.config?.node_group_name ?? group.address)))}`, where: `${listOf([...new Set(groups.map((group) => group.stack))])}`, why: 'their nodes are drained and terminated: the Kafka pods on them restart, in several zones at once when several groups go', instead: 'change node groups one zone at a time, or add a new group, move the pods, then remove the old one' }];
};

const preventDestroyBlocks: DangerRule = (diff) =>
  diff.terraform
    .filter((change) => change.preventDestroy && (change.action === 'replace' || change.action === 'delete'))
    .map((change) => ({ category: 'availability' as const, rule: 'prevent-destroy', what: `${change.address} would be ${change.action === 'delete' ? 'destroyed' : 'replaced'} but has prevent_destroy`, where: `${change.stack}: ${change.address}`, why: 'terraform apply of the stack fails before changing anything', instead: 'revert the change to this resource; destroying protected data needs its own reviewed change' }));

/**
 * EKS node groups that roll (new launch template version, AMI or Kubernetes version) replace every node, so every
 * Kafka pod on them restarts, in an order EKS picks. Bounded (one zone's brokers, one controller node at a time,
 * every pod under a PodDisruptionBudget of 1, no force_update_version), it is a notice; otherwise a danger: nodes
 * under brokers in several zones, or several controllers' nodes, drained at the same time.
 */
const nodeGroupRoll: DangerRule = (diff) => {
  const rolls = nodeGroupRolls(diff.terraform, diff.head).filter((roll) => roll.hosted.length > 0);
  if (rolls.length === 0) return [];
  const roleOf = (node: string) => diff.kafka.nodes.find((candidate) => candidate.node === node)?.role;
  const hosting = (role: 'broker' | 'controller') => rolls.filter((roll) => roll.hosted.some((pods) => pods.nodes.some((node) => roleOf(node) === role)));
  const [brokerGroups, controllerGroups] = [hosting('broker'), hosting('controller')];
  const brokerZones = [...new Set(brokerGroups.flatMap((roll) => roll.zones))].sort();
  const atOnce = (groups: typeof rolls) => groups.reduce((sum, roll) => sum + (typeof roll.maxUnavailable === 'number' ? roll.maxUnavailable : Number.POSITIVE_INFINITY), 0);
  const nodes = [...new Set(rolls.flatMap((roll) => roll.hosted.flatMap((pods) => pods.nodes)))].sort();
  const brokers = nodes.filter((node) => roleOf(node) === 'broker');
  const controllers = nodes.filter((node) => roleOf(node) === 'controller');
  const unbudgeted = [...new Set(rolls.flatMap((roll) => roll.hosted.filter((pods) => !(pods.budgetMaxUnavailable !== undefined && pods.budgetMaxUnavailable <= 1)).map((pods) => pods.statefulSet)))].sort();
  const problems = [
    ...(rolls.some((roll) => roll.forced) ? ['force_update_version is set: EKS terminates nodes whose pods the PodDisruptionBudgets do not let go'] : []),
    ...(brokerZones.length > 1 ? [`nodes under brokers in ${brokerZones.length} zones (${listOf(brokerZones)}) are drained at the same time`] : []),
    ...(brokerZones.length <= 1 && atOnce(brokerGroups) > 1 ? [`${atOnce(brokerGroups) === Number.POSITIVE_INFINITY ? 'several' : atOnce(brokerGroups)} broker nodes are drained at the same time`] : []),
    ...(atOnce(controllerGroups) > 1 ? [`up to ${atOnce(controllerGroups) === Number.POSITIVE_INFINITY ? 'all' : atOnce(controllerGroups)} controller nodes are drained at the same time (2 of 3 voters down stops the quorum)`] : []),
    ...(unbudgeted.length > 0 ? [`no PodDisruptionBudget of maxUnavailable 1 covers ${listOf(unbudgeted)}`] : []),
  ];
  const reasons = [...new Set(rolls.flatMap((roll) => roll.reasons))].sort();
  const tagsOnly = reasons.every((reason) => /^new launch template version \([^:]+: tag_specifications\)$/.test(reason));
  const pacing = 'the PodDisruptionBudgets (maxUnavailable 1) pace the evictions, but they count a broker available once its client port answers, before it is back in sync, and EKS fails the update after 15 minutes of refused evictions';
  return [{
    category: 'availability',
    rule: 'node-group-roll',
    what: `${rolls.length} EKS node group(s) roll: every node is replaced and the Kafka pods on it restart (${[brokers.length > 0 ? `${brokers.length} broker(s)` : '', controllers.length > 0 ? `${controllers.length} controller(s)` : ''].filter(Boolean).join(', ')})`,
    where: `${listOf([...new Set(rolls.map((roll) => roll.change.stack))])}: ${listOf(rolls.map((roll) => `${roll.name} (${roll.zones.join(', ')}, max unavailable ${roll.maxUnavailable})`))}; ${listOf(reasons, 2)}`,
    why: problems.length > 0
      ? `${problems.join('; ')}: brokers or controllers can be down together, outside the roller's one-at-a-time, in-sync-first order; ${pacing}`
      : `EKS replaces the nodes one at a time in one zone, outside the roller's in-sync-first order; ${pacing}`,
    instead: `apply the node groups one at a time (terraform apply -target=<node group address>, the launch template comes with the first), waiting for 0 under-replicated partitions in between; or apply outside peak hours and accept one restart of every broker and controller listed${tagsOnly ? '; for a tag change alone, it can also wait for the next planned node roll (AMI or Kubernetes version) and ride along' : ''}`,
    ...(problems.length === 0 ? { severity: 'notice' as const } : {}),
  }];
};

const quorumAndRoles = configRiskDangers('availability');

export const AVAILABILITY_RULES: readonly ((diff: EnvironmentDiff) => Danger[])[] = [
  parallelRestart,
  quorumAndRoles,
  pdbLoosened,
  zoneAdded,
  immutableStatefulSetField,
  volumeShrunk,
  immutableJobTemplate,
  immutableField,
  networkReplaced,
  nodeGroupReplaced,
  nodeGroupRoll,
  preventDestroyBlocks,
];
