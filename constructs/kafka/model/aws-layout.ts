import { type Ipv4Cidr, formatCidr, nthSubnet, parseCidr, subnetCapacity } from '../spec/cidr';
import type { ResolvedSpec } from '../spec/environment-spec';

/**
 * Decisions about an environment's AWS network that both validation and the cdktf constructs need:
 * which subnets exist where, whether there is egress, which VPC endpoints the nodes use.
 */

/** Prefix length of each zone's public subnet: it only holds a NAT gateway. */
export const PUBLIC_SUBNET_PREFIX_LENGTH = 28;

/**
 * Interface endpoints every node needs with no internet: SSM Session Manager (ssm, ssmmessages, ec2messages), secrets
 * and their KMS key, CloudWatch Logs, STS. S3 is a gateway endpoint (free) and carries the Amazon Linux package
 * repositories and the artifact mirror.
 */
const COMMON_INTERFACE_ENDPOINTS = ['ec2messages', 'kms', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'sts'];
/** What an EKS node needs to join its cluster and pull images without internet. */
const EKS_NODE_INTERFACE_ENDPOINTS = ['ec2', 'ecr.api', 'ecr.dkr', 'eks', 'eks-auth', 'elasticloadbalancing'];

/** Service suffixes (`com.amazonaws.<region>.<suffix>`) of the environment's interface endpoints, sorted. */
export function interfaceEndpointServices(spec: ResolvedSpec): string[] {
  const services = [...COMMON_INTERFACE_ENDPOINTS];
  if (spec.runtime.kind === 'vm' && spec.runtime.certificateAuthority.kind === 'private-ca') services.push('acm-pca');
  // Only when the node groups run in this VPC's subnets; with `aws.eks.subnetIds` they live in the cluster's own VPC.
  if (spec.runtime.kind === 'kubernetes' && spec.aws.eks && !spec.aws.eks.subnetIds) services.push(...EKS_NODE_INTERFACE_ENDPOINTS);
  return services.sort();
}

/** Whether VMs download Kafka or the exporter jar from the internet (no S3 mirror). */
export function vmNeedsInternet(spec: ResolvedSpec): boolean {
  return spec.runtime.kind === 'vm' && !spec.runtime.artifactMirror;
}

/**
 * Whether the EKS node groups run in this environment's own subnets (no `aws.eks.subnetIds`). Their pods pull public
 * images (apache/kafka, busybox, the exporters from Docker Hub and quay.io) and the JMX exporter init container
 * downloads its jar from Maven Central; the VPC endpoints reach AWS services only, so without egress every Kafka
 * pod would stay in ImagePullBackOff.
 */
export function eksNodesNeedInternet(spec: ResolvedSpec): boolean {
  return spec.runtime.kind === 'kubernetes' && spec.aws.eks !== undefined && spec.aws.eks.subnetIds === undefined;
}

/**
 * The environment's egress: the spec's choice, else NAT exactly when nodes in these subnets must download from the
 * internet (VMs without an artifact mirror, EKS nodes pulling public images). `egress: 'none'` stays possible for
 * EKS when every image comes from ECR (reached through the ecr.api/ecr.dkr endpoints and S3).
 */
export function resolvedEgress(spec: ResolvedSpec): 'none' | 'nat' {
  return spec.aws.egress ?? (vmNeedsInternet(spec) || eksNodesNeedInternet(spec) ? 'nat' : 'none');
}

/** The subnet ranges of one availability zone, from {@link zoneCidrs}. */
export interface ZoneCidrs {
  /** Availability zone name. */
  readonly zone: string;
  /** The private Kafka subnet: carved from the start of the VPC in zone order. */
  readonly privateCidr: string;
  /**
   * The public NAT subnet (a /28), when there is egress: carved from the end of the VPC in zone order.
   * @default - none: the environment has no egress (`aws.egress: 'none'`)
   */
  readonly publicCidr?: string;
}

/** Private subnets from the start of the VPC, public ones from its end, so adding a zone never moves either. */
export function zoneCidrs(
  vpc: Ipv4Cidr,
  spec: { readonly availabilityZones: readonly string[]; readonly subnetPrefixLength: number },
  egress: 'none' | 'nat',
): ZoneCidrs[] {
  const publicCount = subnetCapacity(vpc, PUBLIC_SUBNET_PREFIX_LENGTH);
  return spec.availabilityZones.map((zone, index) => ({
    zone,
    privateCidr: formatCidr(nthSubnet(vpc, spec.subnetPrefixLength, index)),
    ...(egress === 'nat' ? { publicCidr: formatCidr(nthSubnet(vpc, PUBLIC_SUBNET_PREFIX_LENGTH, publicCount - 1 - index)) } : {}),
  }));
}

/** Whether two CIDR blocks share any address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const end = (cidr: Ipv4Cidr) => cidr.base + 2 ** (32 - cidr.prefixLength);
  return a.base < end(b) && b.base < end(a);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefixLength >= outer.prefixLength && cidrsOverlap(outer, inner);
}

/** The parsed CIDR, or undefined when `text` is not a valid one (for checks that report invalid CIDRs elsewhere). */
export function parseCidrOrUndefined(text: string): Ipv4Cidr | undefined {
  const parsed = parseCidr(text);
  return typeof parsed === 'string' ? undefined : parsed;
}

/** CPU architecture of an EC2 instance type: Graviton families carry a "g" after the generation (m7g, r8g, t4g, im4gn). */
export function instanceArchitecture(instanceType: string): 'x86_64' | 'arm64' {
  const family = instanceType.split('.')[0];
  return /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}

/** The public SSM parameter naming the latest Amazon Linux 2023 AMI of an architecture. */
export function amazonLinuxAmiParameter(architecture: 'x86_64' | 'arm64'): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}
