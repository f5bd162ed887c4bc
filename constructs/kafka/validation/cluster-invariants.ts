import { AWS_RULES } from './aws-invariants';
import { parseCidr, subnetCapacity, usableAwsAddresses } from '../spec/cidr';
import { clusterIdProblem } from '../spec/cluster-id';
import type { ResolvedSpec, StorageSpec } from '../spec/environment-spec';
import { kubernetesInvariantProblems } from './kubernetes-invariants';
import { monitoringProblems } from './monitoring-invariants';
import { operationsProblems } from './operations-invariants';
import { resolveListeners } from '../model/listeners';
import type { InvariantRule, Problem, Report } from './problems';

export type { InvariantRule } from './problems';
import { securityProblems } from './security-invariants';
import { topicProblems } from './topic-invariants';
import { sizingProblems } from '../model/sizing';
import { brokersPerZone, clusterNodes } from '../model/topology';
import { stateBackendProblems } from './state-backend-invariants';

const fromProblems =
  (problemsOf: (spec: ResolvedSpec) => readonly Problem[]): InvariantRule['check'] =>
  (spec, report) => {
    for (const problem of problemsOf(spec)) report(problem.path, problem.value, problem.message);
  };

/**
 * Rules that relate several fields of one environment. Each rule reports every violation it finds; `validate.ts`
 * runs each one on its own, also when other fields failed the schema (a rule that reads such a field is skipped),
 * so one run lists everything it can.
 */
export const ENVIRONMENT_RULES: readonly InvariantRule[] = [
  { name: 'controllers', check: checkControllers },
  { name: 'zones', check: checkZones },
  { name: 'brokers per zone', check: checkBrokersPerZone },
  { name: 'replication', check: checkReplication },
  { name: 'cluster id', check: checkClusterId },
  { name: 'network', check: checkNetwork },
  { name: 'listeners', check: checkListeners },
  { name: 'security', check: fromProblems(securityProblems) },
  { name: 'sizing', check: checkSizing },
  { name: 'controller storage', check: (spec, report) => checkStorage(spec.kafka.controllers.storage, 'kafka.controllers.storage', report) },
  { name: 'broker storage', check: (spec, report) => checkStorage(spec.kafka.brokers.storage, 'kafka.brokers.storage', report) },
  { name: 'image', check: checkImage },
  { name: 'node id range', check: checkNodeIdRange },
  ...AWS_RULES,
  { name: 'kubernetes', check: fromProblems(kubernetesInvariantProblems) },
  { name: 'monitoring', check: fromProblems(monitoringProblems) },
  { name: 'topics', check: fromProblems(topicProblems) },
  { name: 'operations', check: fromProblems(operationsProblems) },
  { name: 'auto-create topics', check: checkAutoCreateTopics },
];

/** Rules over derived objects (every node's id): they run only on an environment with no other problem. */
export const DERIVED_RULES: readonly InvariantRule[] = [{ name: 'node ids', check: checkNodeIds }];

/** Every rule on a schema-valid environment, in order (derived rules only when the others found nothing). */
export function environmentInvariantProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, value, message) => problems.push({ environment: spec.name, path, value, message });
  for (const rule of ENVIRONMENT_RULES) rule.check(spec, report);
  if (problems.length === 0) for (const rule of DERIVED_RULES) rule.check(spec, report);
  return problems;
}

function checkAutoCreateTopics(spec: ResolvedSpec, report: Report): void {
  if (spec.tier !== 'dev' && spec.kafka.autoCreateTopics) {
    report('kafka.autoCreateTopics', true, 'only dev may create topics on first write (typos become topics)');
  }
}

/** Kafka's node.id is an int32: the highest derived id must fit before any node is built from the counts. */
export const MAX_NODE_ID = 2 ** 31 - 1;

function checkNodeIdRange(spec: ResolvedSpec, report: Report): void {
  const { firstController, firstBroker, zoneStride } = spec.kafka.nodeIds;
  const lastController = firstController + spec.kafka.controllers.count - 1;
  if (lastController > MAX_NODE_ID) {
    report('kafka.nodeIds.firstController', firstController, `makes the last controller's node.id ${lastController}, past Kafka's maximum ${MAX_NODE_ID} (int32)`);
  }
  const lastBroker = firstBroker + (spec.aws.availabilityZones.length - 1) * zoneStride + brokersPerZone(spec) - 1;
  if (lastBroker > MAX_NODE_ID) {
    report('kafka.nodeIds', spec.kafka.nodeIds, `makes the last broker's node.id ${lastBroker}, past Kafka's maximum ${MAX_NODE_ID} (int32)`);
  }
}

/** Rules across environments: names and cluster ids must not repeat. */
export function crossEnvironmentProblems(specs: readonly ResolvedSpec[]): Problem[] {
  const problems: Problem[] = [];
  const firstByName = new Map<string, number>();
  const firstByClusterId = new Map<string, string>();
  specs.forEach((spec, index) => {
    if (firstByName.has(spec.name)) {
      problems.push({ environment: spec.name, path: 'name', value: spec.name, message: 'is used by another environment' });
    }
    firstByName.set(spec.name, index);
    const owner = firstByClusterId.get(spec.kafka.clusterId);
    if (owner !== undefined) {
      problems.push({
        environment: spec.name,
        path: 'kafka.clusterId',
        value: spec.kafka.clusterId,
        message: `is already the cluster id of ${owner}; every cluster needs its own (kafka-storage.sh random-uuid)`,
      });
    } else {
      firstByClusterId.set(spec.kafka.clusterId, spec.name);
    }
  });
  problems.push(...stateBackendProblems(specs));
  return problems;
}

function majority(count: number): number {
  return Math.floor(count / 2) + 1;
}

function checkControllers(spec: ResolvedSpec, report: Report): void {
  const count = spec.kafka.controllers.count;
  const path = 'kafka.controllers.count';
  if (count % 2 === 0) {
    report(path, count, 'must be odd (3 or 5): an even quorum survives no more failures than the odd one below it');
  } else if (count === 1 && spec.tier === 'production') {
    report(path, count, 'must be 3 or 5 in production; a single controller is allowed only outside production');
  } else if (count !== 1 && count !== 3 && count !== 5) {
    report(path, count, 'must be 3 or 5 (1 outside production)');
  }
  if (count !== 1 && count !== 3 && count !== 5) return; // the zone rule below is about a valid quorum size
  const zones = new Set(spec.aws.availabilityZones).size;
  // Controllers go round-robin over the zones, so the busiest zone holds ceil(count / zones) voters.
  const survivors = count - Math.ceil(count / zones);
  if (spec.tier === 'production' && count > 1 && survivors < majority(count)) {
    report(
      path,
      count,
      `over ${zones} zone(s) loses its majority when one zone fails (${survivors} of ${count} voters left, ` +
        `${majority(count)} needed): use at least 3 zones`,
    );
  }
}

function checkZones(spec: ResolvedSpec, report: Report): void {
  const seen = new Set<string>();
  spec.aws.availabilityZones.forEach((zone, index) => {
    const path = `aws.availabilityZones[${index}]`;
    if (seen.has(zone)) report(path, zone, 'is listed twice; each zone is one rack');
    seen.add(zone);
    if (!new RegExp(`^${spec.aws.region}[a-z]$`).test(zone)) {
      report(path, zone, `is not an availability zone of ${spec.aws.region} (expected ${spec.aws.region}a, ${spec.aws.region}b, ...)`);
    }
  });
}

function checkBrokersPerZone(spec: ResolvedSpec, report: Report): void {
  const perZone = spec.kafka.brokers.perZone;
  if (typeof perZone === 'number') {
    if (perZone > spec.kafka.nodeIds.zoneStride) {
      report(
        'kafka.brokers.perZone',
        perZone,
        `exceeds kafka.nodeIds.zoneStride (${spec.kafka.nodeIds.zoneStride}): node ids of adjacent zones would collide`,
      );
    }
    return;
  }
  const zones = spec.aws.availabilityZones;
  for (const zone of Object.keys(perZone)) {
    if (!zones.includes(zone)) report(`kafka.brokers.perZone.${zone}`, perZone[zone], `names a zone not in aws.availabilityZones (${zones.join(', ')})`);
  }
  for (const zone of zones) {
    if (!(zone in perZone)) report(`kafka.brokers.perZone.${zone}`, undefined, 'every zone in aws.availabilityZones needs a broker count');
  }
  const counts = new Set(Object.values(perZone));
  if (counts.size > 1) {
    report(
      'kafka.brokers.perZone',
      perZone,
      'must give every zone the same number of brokers: Kafka spreads replicas evenly over racks, so a smaller zone piles up replicas',
    );
  }
}

function checkReplication(spec: ResolvedSpec, report: Report): void {
  const { replicationFactor: rf, minInsyncReplicas: minIsr } = spec.kafka;
  const brokers = brokersPerZone(spec) * spec.aws.availabilityZones.length;
  const zones = new Set(spec.aws.availabilityZones).size;
  if (rf > brokers) report('kafka.replicationFactor', rf, `exceeds the ${brokers} brokers`);
  if (rf === 1 && spec.tier !== 'dev') {
    report('kafka.replicationFactor', rf, 'must be ≥ 3 outside dev: one lost disk would lose data');
  }
  if (minIsr > rf) {
    report('kafka.minInsyncReplicas', minIsr, `exceeds kafka.replicationFactor (${rf})`);
  } else if (rf > 1 && minIsr >= rf) {
    report('kafka.minInsyncReplicas', minIsr, `must be below kafka.replicationFactor (${rf}), or one stopped broker blocks every acks=all write`);
  }
  if (spec.tier === 'production') {
    if (minIsr < 2) report('kafka.minInsyncReplicas', minIsr, 'must be ≥ 2 in production, so an acknowledged write survives a lost broker');
    if (zones < rf) {
      report(
        'aws.availabilityZones',
        spec.aws.availabilityZones,
        `has ${zones} zone(s); production needs at least as many as kafka.replicationFactor (${rf}) so every replica sits in its own zone`,
      );
    }
  }
}

function checkClusterId(spec: ResolvedSpec, report: Report): void {
  const problem = clusterIdProblem(spec.kafka.clusterId);
  if (problem) report('kafka.clusterId', spec.kafka.clusterId, problem);
}

function checkNetwork(spec: ResolvedSpec, report: Report): void {
  const { vpcCidr, subnetPrefixLength, availabilityZones } = spec.aws;
  const vpc = parseCidr(vpcCidr);
  if (typeof vpc === 'string') {
    report('aws.vpcCidr', vpcCidr, vpc);
    return;
  }
  if (vpc.prefixLength < 16 || vpc.prefixLength > 28) {
    report('aws.vpcCidr', vpcCidr, 'must have a prefix length from /16 to /28 (AWS VPC limits)');
    return;
  }
  const capacity = subnetCapacity(vpc, subnetPrefixLength);
  if (capacity < availabilityZones.length) {
    report(
      'aws.subnetPrefixLength',
      subnetPrefixLength,
      `fits ${capacity} subnet(s) in ${vpcCidr}, but ${availabilityZones.length} zones need one each`,
    );
  }
  if (spec.runtime.kind === 'vm') {
    const nodesPerZone = brokersPerZone(spec) + Math.ceil(spec.kafka.controllers.count / availabilityZones.length);
    if (usableAwsAddresses(subnetPrefixLength) < nodesPerZone) {
      report('aws.subnetPrefixLength', subnetPrefixLength, `leaves ${usableAwsAddresses(subnetPrefixLength)} usable addresses, but a zone holds ${nodesPerZone} nodes`);
    }
  }
}

function checkListeners(spec: ResolvedSpec, report: Report): void {
  const ports = new Map<number, string>();
  if (spec.monitoring.enabled) ports.set(spec.monitoring.jmxExporterPort, 'monitoring.jmxExporterPort');
  for (const listener of resolveListeners(spec)) {
    const path = `kafka.listeners.${listener.key}`;
    const other = ports.get(listener.port);
    if (other) report(`${path}.port`, listener.port, `is already used by ${other}`);
    ports.set(listener.port, `${path}.port`);
    if (spec.tier !== 'dev' && !listener.tls) {
      report(`${path}.tls`, false, `would make a ${listener.securityProtocol} listener; plaintext is allowed only in dev`);
    }
    if (listener.authentication === 'mtls' && !listener.tls) {
      report(`${path}.authentication`, 'mtls', 'needs tls: true (mutual TLS is a TLS feature)');
    }
    if (spec.tier !== 'dev' && listener.authentication === 'none') {
      report(`${path}.authentication`, 'none', 'must authenticate outside dev: use "mtls"' + (listener.key === 'client' || listener.key === 'external' ? ' or "scram-sha-512"' : ''));
    }
    if (listener.key !== 'client' && listener.key !== 'external' && listener.authentication === 'scram-sha-512') {
      report(`${path}.authentication`, 'scram-sha-512', 'must be "mtls" (or "none" in dev): nodes authenticate each other with their certificates');
    }
  }
}

function checkSizing(spec: ResolvedSpec, report: Report): void {
  for (const role of ['controller', 'broker'] as const) {
    const group = role === 'broker' ? spec.kafka.brokers : spec.kafka.controllers;
    for (const problem of sizingProblems(group.size, role, spec.runtime.kind)) {
      report(`kafka.${role}s.size.${problem.field}`, problem.value, problem.message);
    }
  }
}

/** EBS limits per volume type, so a bad value fails at synth instead of at `terraform apply`. */
function checkStorage(storage: StorageSpec, path: string, report: Report): void {
  const { volumeType, sizeGiB, iops, throughputMiBps } = storage;
  if (volumeType === 'gp3') {
    const effectiveIops = iops ?? 3000;
    if (iops !== undefined && (iops < 3000 || iops > 16000)) report(`${path}.iops`, iops, 'must be 3000–16000 for gp3');
    if (iops !== undefined && iops > 500 * sizeGiB) report(`${path}.iops`, iops, `exceeds gp3's 500 IOPS per GiB (${500 * sizeGiB} for ${sizeGiB} GiB)`);
    if (throughputMiBps !== undefined) {
      if (throughputMiBps < 125 || throughputMiBps > 1000) report(`${path}.throughputMiBps`, throughputMiBps, 'must be 125–1000 for gp3');
      else if (throughputMiBps > effectiveIops / 4) {
        report(`${path}.throughputMiBps`, throughputMiBps, `exceeds gp3's 0.25 MiB/s per IOPS (${effectiveIops / 4} at ${effectiveIops} IOPS)`);
      }
    }
  } else {
    if (iops === undefined) report(`${path}.iops`, undefined, 'required for io2');
    else if (iops < 100 || iops > 256000) report(`${path}.iops`, iops, 'must be 100–256000 for io2');
    else if (iops > 1000 * sizeGiB) report(`${path}.iops`, iops, `exceeds io2's 1000 IOPS per GiB (${1000 * sizeGiB} for ${sizeGiB} GiB)`);
    if (sizeGiB < 4) report(`${path}.sizeGiB`, sizeGiB, 'must be ≥ 4 for io2');
    if (throughputMiBps !== undefined) report(`${path}.throughputMiBps`, throughputMiBps, 'applies to gp3 only; io2 throughput follows its IOPS');
  }
}

function checkImage(spec: ResolvedSpec, report: Report): void {
  const image = spec.kafka.image;
  if (!image) return;
  const tag = /:([A-Za-z0-9._-]+)(@|$)/.exec(image.replace(/^[^/]*:\d+\//, ''))?.[1];
  if (tag && /^\d+\.\d+\.\d+$/.test(tag) && tag !== spec.kafka.version) {
    report('kafka.image', image, `is tagged ${tag} but kafka.version is ${spec.kafka.version}`);
  }
}

function checkNodeIds(spec: ResolvedSpec, report: Report): void {
  const owner = new Map<number, string>();
  for (const node of clusterNodes(spec)) {
    const other = owner.get(node.nodeId);
    if (other) {
      report('kafka.nodeIds', spec.kafka.nodeIds, `gives node.id ${node.nodeId} to both ${other} and ${node.name}`);
    } else {
      owner.set(node.nodeId, node.name);
    }
  }
}
