import type { ResolvedSpec } from '../spec/environment-spec';
import type { NodeRole } from './sizing';

/** One Kafka process: a pod on Kubernetes, an EC2 instance on VMs. */
export interface KafkaNode {
  /** Pod or instance name, `<group>-<ordinal>`; also the name of its file under `dist/<env>/kafka/`. */
  readonly name: string;
  /** Controller or broker. */
  readonly role: NodeRole;
  /** Kafka's `node.id`. */
  readonly nodeId: number;
  /** The zone the node runs in; for brokers this is `broker.rack`. */
  readonly zone: string;
  /** The StatefulSet (Kubernetes) or instance group (VMs) the node belongs to. */
  readonly group: string;
  /** Position within its group: the StatefulSet ordinal. */
  readonly ordinal: number;
  /** The DNS name peers and clients dial (advertised listeners, quorum voters, certificate SANs). */
  readonly host: string;
}

/** Brokers in each zone. Invariants guarantee the per-zone map, if used, is uniform over every zone. */
export function brokersPerZone(spec: ResolvedSpec): number {
  const perZone = spec.kafka.brokers.perZone;
  return typeof perZone === 'number' ? perZone : Math.max(0, ...Object.values(perZone));
}

/** The controllers' StatefulSet or instance group: `<cluster>-controller`. */
export function controllerGroupName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-controller`;
}

/** A zone's brokers' StatefulSet or instance group: `<cluster>-broker-<zone>`. */
export function brokerGroupName(spec: ResolvedSpec, zone: string): string {
  return `${spec.kafka.clusterName}-broker-${zone}`;
}

/** Private DNS zone of VM nodes. */
export function vmDnsZone(spec: ResolvedSpec): string {
  return (spec.runtime.kind === 'vm' && spec.runtime.dnsZone) || `${spec.kafka.clusterName}.${spec.name}.internal`;
}

function hostOf(spec: ResolvedSpec, name: string, group: string): string {
  if (spec.runtime.kind === 'kubernetes') {
    // A StatefulSet pod's stable name under its governing headless Service, which shares the StatefulSet's name.
    return `${name}.${group}.${spec.runtime.namespace}.svc.${spec.runtime.clusterDomain}`;
  }
  return `${name}.${vmDnsZone(spec)}`;
}

/**
 * Every node of the cluster with its id, zone and DNS name. This is the one place node ids are decided:
 * controllers count up from `nodeIds.firstController`; the brokers of the zone at index z count up from
 * `firstBroker + z * zoneStride`, so adding brokers to a zone (or a zone at the end) never renumbers a broker.
 * Controllers go round-robin over the zones so that a zone loss takes as few voters as possible.
 */
export function clusterNodes(spec: ResolvedSpec): KafkaNode[] {
  const zones = spec.aws.availabilityZones;
  const { firstController, firstBroker, zoneStride } = spec.kafka.nodeIds;
  const controllerGroup = controllerGroupName(spec);
  const controllers = Array.from({ length: spec.kafka.controllers.count }, (_, ordinal): KafkaNode => {
    const name = `${controllerGroup}-${ordinal}`;
    return {
      name,
      role: 'controller',
      nodeId: firstController + ordinal,
      zone: zones[ordinal % zones.length],
      group: controllerGroup,
      ordinal,
      host: hostOf(spec, name, controllerGroup),
    };
  });
  const perZone = brokersPerZone(spec);
  const brokers = zones.flatMap((zone, zoneIndex) => {
    const group = brokerGroupName(spec, zone);
    return Array.from({ length: perZone }, (_, ordinal): KafkaNode => {
      const name = `${group}-${ordinal}`;
      return {
        name,
        role: 'broker',
        nodeId: firstBroker + zoneIndex * zoneStride + ordinal,
        zone,
        group,
        ordinal,
        host: hostOf(spec, name, group),
      };
    });
  });
  return [...controllers, ...brokers];
}
