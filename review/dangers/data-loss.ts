import { type Danger, type DangerRule, listOf } from './danger';
import { configRiskDangers } from './config-risks';
import { brokerZones, clusterIds, nodeLabel } from './node-facts';
import { differingObjects } from '../synth-root';

const REASSIGN = 'move its partitions away first (kafka-reassign-partitions.sh with a plan that excludes the brokers), wait until they are empty, then remove them in a separate change';

const environmentRemoved: DangerRule = (diff) =>
  diff.base && !diff.head
    ? [{ category: 'data-loss', rule: 'environment-removed', what: `environment ${diff.environment} is removed`, where: `dist/${diff.environment}/ and its stacks`, why: 'destroying its stacks deletes the cluster with its data', instead: 'migrate the data (MirrorMaker 2) and destroy the stacks deliberately, outside a routine change' }]
    : [];

const zoneRemoved: DangerRule = (diff) => {
  if (!diff.base || !diff.head) return [];
  const after = new Set(brokerZones(diff.head));
  return brokerZones(diff.base)
    .filter((zone) => !after.has(zone))
    .map((zone) => {
      const brokers = diff.kafka.nodes.filter((node) => node.status === 'removed' && node.rack === zone).map(nodeLabel);
      return { category: 'data-loss', rule: 'zone-removed', what: `zone ${zone} is removed with its brokers ${listOf(brokers)}`, where: `${diff.environment}: brokers of ${zone}`, why: 'every replica on those brokers is lost; partitions whose replicas are all in the remaining zones keep fewer copies than their replication factor', instead: `${REASSIGN}; then drop the zone` } satisfies Danger;
    });
};

const brokerRemoved: DangerRule = (diff) => {
  if (!diff.base || !diff.head) return [];
  const removedZones = new Set(brokerZones(diff.base).filter((zone) => !brokerZones(diff.head).includes(zone)));
  const removed = diff.kafka.nodes.filter((node) => node.status === 'removed' && node.role === 'broker' && !(node.rack && removedZones.has(node.rack)));
  if (removed.length === 0) return [];
  return [{ category: 'data-loss', rule: 'broker-removed', what: `broker(s) removed: ${listOf(removed.map(nodeLabel))}`, where: `${diff.environment}: ${listOf([...new Set(removed.map((node) => node.rack ?? 'no rack'))])}`, why: 'Kafka does not move partitions off a broker by itself: replicas on a removed broker are lost and its partitions stay under-replicated', instead: REASSIGN }];
};

const dataVolumeRemoved: DangerRule = (diff) => {
  const volumes = diff.terraform.filter((change) => change.type === 'aws_ebs_volume' && (change.action === 'delete' || change.action === 'replace'));
  return volumes.map((change) => ({
    category: 'data-loss',
    rule: 'data-volume-removed',
    what: `data volume ${change.config?.tags?.Name ?? change.address} is ${change.action === 'delete' ? 'destroyed' : 'replaced'}${change.action === 'replace' ? ` (${change.attributes.filter((attribute) => attribute.forcesReplacement).map((attribute) => attribute.path).join(', ')})` : ''}`,
    where: `${change.stack}: ${change.address}`,
    why: 'the EBS volume holds the node’s log directory: a new volume starts empty',
    instead: change.action === 'replace' ? 'keep the replacement-forcing attributes (zone, encryption, key) unchanged; move the node by adding a new one and reassigning partitions' : REASSIGN,
  }));
};

const clusterIdChanged: DangerRule = (diff) => {
  const objects = differingObjects(diff.base, diff.head);
  const [before, after] = [clusterIds(diff.base, objects.base), clusterIds(diff.head, objects.head)];
  if (before.size === 0 || after.size === 0 || [...after].every((id) => before.has(id))) return [];
  return [{ category: 'data-loss', rule: 'cluster-id-changed', what: `cluster id changed from ${[...before].join(', ')} to ${[...after].join(', ')}`, where: `${diff.environment}: storage format of every node`, why: 'formatted log directories carry the old id: nodes refuse to start, and a reformat would erase the cluster', instead: 'the cluster id is generated once and never changed; restore the old value' }];
};

export const DATA_LOSS_RULES: readonly DangerRule[] = [
  environmentRemoved,
  zoneRemoved,
  brokerRemoved,
  dataVolumeRemoved,
  clusterIdChanged,
  configRiskDangers('data-loss'),
];
