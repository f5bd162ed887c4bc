import {
  PUBLIC_SUBNET_PREFIX_LENGTH,
  cidrContains,
  cidrsOverlap,
  interfaceEndpointServices,
  parseCidrOrUndefined,
  resolvedEgress,
  vmNeedsInternet,
  zoneCidrs,
} from '../model/aws-layout';
import { type Ipv4Cidr, parseCidr, subnetCapacity, usableAwsAddresses } from '../spec/cidr';
import type { ResolvedSpec } from '../spec/environment-spec';
import { nodeFitsPod, nodeInstanceType } from '../model/placement';
import { MAX_IAM_ROLE_NAME } from '../spec/aws-names';
import type { InvariantRule, Problem, Report } from './problems';
import { resolveSizing, sizingProblems } from '../model/sizing';
import { brokersPerZone, clusterNodes } from '../model/topology';
import { KAFKA_RELEASE_DIGESTS, kafkaReleaseDigest } from '../model/kafka-releases';
import { vmLogShipping } from '../spec/vm-runtime';


/** The VPC CNI gives each pod a subnet address and keeps about one network interface's worth warm per node. */
const ADDRESSES_PER_EKS_NODE = 30;
/** RFC 1918 and the RFC 6598 shared space, the ranges AWS recommends for VPCs. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((text) => ({ text, cidr: parseCidrOrUndefined(text)! }));
/** DNS labels (Route53 records, EKS node group names) are at most 63 characters. */
const MAX_LABEL = 63;

/**
 * AWS rules of one environment: client and monitoring CIDRs, subnet room, egress, EKS node groups, the VM runtime's
 * artifacts and IAM name lengths. Each rule runs on its own (see `validate.ts`); none throws.
 */
export const AWS_RULES: readonly InvariantRule[] = [
  { name: 'private VPC range', check: checkPrivateVpc },
  { name: 'client CIDRs', check: (spec, report) => checkPeerCidrs(spec, 'clientCidrs', parseCidrOrUndefined(spec.aws.vpcCidr), report) },
  { name: 'monitoring CIDRs', check: (spec, report) => checkPeerCidrs(spec, 'monitoringCidrs', parseCidrOrUndefined(spec.aws.vpcCidr), report) },
  {
    name: 'subnet room',
    check: (spec, report) => {
      const vpc = parseCidrOrUndefined(spec.aws.vpcCidr);
      if (vpc) checkSubnetRoom(spec, vpc, report);
    },
  },
  { name: 'egress', check: checkEgress },
  { name: 'EKS node groups', check: checkEks },
  { name: 'VM runtime', check: checkVmRuntime },
  { name: 'IAM role names', check: checkIamRoleNames },
];

/** Every AWS rule, in order. */
export function awsInvariantProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, value, message) => problems.push({ environment: spec.name, path, value, message });
  for (const rule of AWS_RULES) rule.check(spec, report);
  return problems;
}

function checkPrivateVpc(spec: ResolvedSpec, report: Report): void {
  const vpc = parseCidrOrUndefined(spec.aws.vpcCidr);
  if (vpc && !PRIVATE_RANGES.some((range) => cidrContains(range.cidr, vpc))) {
    report('aws.vpcCidr', spec.aws.vpcCidr, `must lie in private address space (${PRIVATE_RANGES.map((range) => range.text).join(', ')}): public ranges collide with internet destinations`);
  }
}

/** Client and monitoring CIDRs: never the whole internet, never straddling the VPC, never inside Kafka's subnets. */
function checkPeerCidrs(spec: ResolvedSpec, field: 'clientCidrs' | 'monitoringCidrs', vpc: Ipv4Cidr | undefined, report: Report): void {
  const seen: { cidr: Ipv4Cidr; text: string }[] = [];
  const subnets = vpc ? kafkaSubnets(spec, vpc) : [];
  spec.aws[field].forEach((text, index) => {
    const path = `aws.${field}[${index}]`;
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') {
      report(path, text, cidr);
      return;
    }
    if (cidr.prefixLength === 0) {
      report(path, text, 'would open Kafka to every address on the internet; list the client networks (security groups admit nothing from 0.0.0.0/0)');
      return;
    }
    if (spec.tier === 'production' && cidr.prefixLength < 8) {
      report(path, text, 'is broader than /8; production admits named client networks only');
    }
    const other = seen.find((previous) => cidrsOverlap(previous.cidr, cidr));
    if (other) report(path, text, `overlaps ${other.text} listed before it`);
    seen.push({ cidr, text });
    if (!vpc) return;
    if (cidrsOverlap(vpc, cidr) && !cidrContains(vpc, cidr)) {
      report(path, text, `straddles the VPC ${spec.aws.vpcCidr}: a peer network lies either inside the VPC or outside it, never both`);
    } else {
      const subnet = subnets.find((candidate) => cidrsOverlap(candidate.cidr, cidr));
      if (subnet) report(path, text, `overlaps the Kafka ${subnet.what} ${subnet.text}; use the clients security group for hosts inside the VPC`);
    }
  });
}

function kafkaSubnets(spec: ResolvedSpec, vpc: Ipv4Cidr): { cidr: Ipv4Cidr; text: string; what: string }[] {
  if (subnetCapacity(vpc, spec.aws.subnetPrefixLength) < spec.aws.availabilityZones.length) return [];
  return zoneCidrs(vpc, spec.aws, 'none').map((zone) => ({
    cidr: parseCidrOrUndefined(zone.privateCidr)!,
    text: zone.privateCidr,
    what: `subnet of ${zone.zone}`,
  }));
}

/** Each zone's subnet must hold its nodes and the endpoints' interfaces; public subnets must fit beside them. */
function checkSubnetRoom(spec: ResolvedSpec, vpc: Ipv4Cidr, report: Report): void {
  const { subnetPrefixLength, availabilityZones } = spec.aws;
  const zones = availabilityZones.length;
  if (subnetCapacity(vpc, subnetPrefixLength) < zones) return; // reported by the core network rule
  const endpoints = interfaceEndpointServices(spec).length;
  const usable = usableAwsAddresses(subnetPrefixLength);
  let needed = 0;
  let what = '';
  if (spec.runtime.kind === 'vm') {
    const nodes = brokersPerZone(spec) + Math.ceil(spec.kafka.controllers.count / zones);
    needed = nodes + endpoints;
    what = `${nodes} node(s) and ${endpoints} VPC endpoint interfaces`;
  } else if (spec.aws.eks && !spec.aws.eks.subnetIds) {
    const nodes = brokersPerZone(spec) + Math.ceil(spec.kafka.controllers.count / zones) + 2 * spec.aws.eks.maxSurgePerZone;
    needed = nodes * ADDRESSES_PER_EKS_NODE + endpoints;
    what = `${nodes} EKS node(s) at ~${ADDRESSES_PER_EKS_NODE} pod addresses each and ${endpoints} VPC endpoint interfaces`;
  }
  if (needed > usable) {
    report('aws.subnetPrefixLength', subnetPrefixLength, `leaves ${usable} usable addresses per zone, but each zone needs ${needed} (${what})`);
  }
  if (resolvedEgress(spec) === 'nat') {
    const privateEnd = zones * 2 ** (32 - subnetPrefixLength);
    const publicStart = 2 ** (32 - vpc.prefixLength) - zones * 2 ** (32 - PUBLIC_SUBNET_PREFIX_LENGTH);
    if (subnetPrefixLength > PUBLIC_SUBNET_PREFIX_LENGTH || publicStart < privateEnd) {
      report(
        'aws.vpcCidr',
        spec.aws.vpcCidr,
        `has no room for ${zones} public /${PUBLIC_SUBNET_PREFIX_LENGTH} NAT subnet(s) at its end beside ${zones} private /${subnetPrefixLength} subnet(s) at its start; use a larger VPC or smaller subnets`,
      );
    }
  }
}

function checkEgress(spec: ResolvedSpec, report: Report): void {
  if (spec.aws.egress === 'none' && vmNeedsInternet(spec)) {
    report(
      'aws.egress',
      'none',
      'leaves the VMs no way to download Kafka and the JMX exporter: set runtime.artifactMirror (S3, reached through the VPC endpoint) or egress "nat"',
    );
  }
}

function checkEks(spec: ResolvedSpec, report: Report): void {
  const eks = spec.aws.eks;
  if (!eks) return;
  if (spec.runtime.kind !== 'kubernetes') {
    report('aws.eks', eks, 'applies to runtime.kind "kubernetes" only; VMs are EC2 instances of their own');
    return;
  }
  const zones = spec.aws.availabilityZones;
  if (eks.subnetIds) {
    for (const zone of Object.keys(eks.subnetIds)) {
      if (!zones.includes(zone)) report(`aws.eks.subnetIds.${zone}`, eks.subnetIds[zone], `names a zone not in aws.availabilityZones (${zones.join(', ')})`);
    }
    for (const zone of zones) {
      if (!(zone in eks.subnetIds)) report(`aws.eks.subnetIds.${zone}`, undefined, 'every zone in aws.availabilityZones needs the subnet its Kafka nodes run in');
    }
  }
  const longestZone = zones.reduce((longest, zone) => (zone.length > longest.length ? zone : longest), '');
  // As KafkaNodeGroups names them: `<env>-<cluster>-<role>-<zone>`.
  const longestGroup = `${spec.name}-${spec.kafka.clusterName}-controller-${longestZone}`;
  if (longestGroup.length > MAX_LABEL) {
    report('kafka.clusterName', spec.kafka.clusterName, `makes node group names such as ${longestGroup} longer than EKS's ${MAX_LABEL} characters`);
  }
  for (const role of ['controller', 'broker'] as const) {
    const size = role === 'broker' ? spec.kafka.brokers.size : spec.kafka.controllers.size;
    if (sizingProblems(size, role, 'kubernetes').length > 0) continue; // reported by the core sizing rule
    const sizing = resolveSizing(size, role);
    const instanceType = nodeInstanceType(sizing, spec.tier);
    const path = `kafka.${role}s.size.instanceType`;
    if (!instanceType) {
      report(`kafka.${role}s.size`, size, 'needs more than the largest candidate node type; give an instanceType');
    } else if (!nodeFitsPod(instanceType, sizing)) {
      report(
        path,
        instanceType,
        `cannot hold a ${role} pod of ${sizing.cpu} vCPU / ${sizing.memoryGiB} GiB plus the node's system reserve (0.5 vCPU, 1.5 GiB): pick a larger type or a smaller pod`,
      );
    }
  }
}

function checkVmRuntime(spec: ResolvedSpec, report: Report): void {
  const runtime = spec.runtime;
  if (runtime.kind !== 'vm') return;
  // Fail closed in every tier: a checksum fetched from the host that served the tarball proves nothing.
  if (!kafkaReleaseDigest(spec.kafka.version, runtime.kafkaDistribution.sha512)) {
    report(
      'runtime.kafkaDistribution.sha512',
      undefined,
      `required: Kafka ${spec.kafka.version} has no digest pinned in this package (pinned: ${Object.keys(KAFKA_RELEASE_DIGESTS).join(', ')}); give the SHA-512 of kafka_2.13-${spec.kafka.version}.tgz from Apache's .sha512 file, verified with Apache's KEYS`,
    );
  }
  if (spec.tier === 'production') {
    for (const role of ['controller', 'broker'] as const) {
      const instanceType = (role === 'broker' ? spec.kafka.brokers : spec.kafka.controllers).size.instanceType;
      if (instanceType && /^t\d/.test(instanceType)) {
        report(`kafka.${role}s.size.instanceType`, instanceType, 'is burstable: once its CPU credits run out the node slows down for the whole cluster; use m, r or c types in production');
      }
    }
  }
  const shipping = vmLogShipping(runtime, spec.tier);
  if (!shipping.enabled && runtime.logShipping?.retentionDays !== undefined) {
    report(
      'runtime.logShipping.retentionDays',
      runtime.logShipping.retentionDays,
      `has no effect: log shipping is off${runtime.logShipping.enabled === false ? '' : ` by default in tier "${spec.tier}"`}; set runtime.logShipping.enabled: true or drop it`,
    );
  }
  if (runtime.artifactMirror && runtime.kafkaDistribution.url) {
    report('runtime.kafkaDistribution.url', runtime.kafkaDistribution.url, 'conflicts with runtime.artifactMirror: the nodes download from the mirror');
  }
  // Every node gets a Route53 record named after it; DNS labels stop at 63 characters.
  const longest = clusterNodes(spec).reduce((a, b) => (b.name.length > a.name.length ? b : a));
  if (longest.name.length > MAX_LABEL) {
    report('kafka.clusterName', spec.kafka.clusterName, `makes node names such as ${longest.name} longer than a DNS label's ${MAX_LABEL} characters`);
  }
}

/**
 * IAM role names are `<env>-<clusterName>-<suffix>` (constructs/aws: `-flow-logs` always, `-controller`/`-broker` on
 * VMs, `-eks-node` with EKS node groups) and IAM stops at 64 characters; `test/kafka/validation` checks the longest
 * accepted names against the synthesized Terraform.
 */
function checkIamRoleNames(spec: ResolvedSpec, report: Report): void {
  const suffixes = ['flow-logs', ...(spec.runtime.kind === 'vm' ? ['controller', 'broker'] : []), ...(spec.aws.eks ? ['eks-node'] : [])];
  const longest = suffixes.map((suffix) => `${spec.name}-${spec.kafka.clusterName}-${suffix}`).reduce((a, b) => (b.length > a.length ? b : a));
  if (longest.length > MAX_IAM_ROLE_NAME) {
    report(
      'kafka.clusterName',
      spec.kafka.clusterName,
      `makes IAM role names such as ${longest} (${longest.length} characters) longer than IAM's ${MAX_IAM_ROLE_NAME}; shorten it or the environment name`,
    );
  }
}
