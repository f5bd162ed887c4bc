import { z } from 'zod';
import { awsRegion } from './aws-names';
import { ipv4Cidr } from './cidr';

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const cidrList = z.array(ipv4Cidr).max(60, 'must list at most 60 CIDRs (rules per security group)').default(() => []);

/** An existing EKS cluster that receives node groups dedicated to Kafka (runtime `kubernetes` only). */
export const eksSchema = z.strictObject({
  /** Name of the EKS cluster the Kafka node groups join. */
  clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'must be an EKS cluster name'),
  /**
   * Existing subnet of each zone (in the cluster's VPC) for the node groups, keyed by zone.
   * @default - the Kafka subnets of `<env>-network` (the EKS cluster must then run in that VPC)
   */
  subnetIds: z.record(z.string().max(32), z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id such as subnet-0abc12345def67890')).optional(),
  /** Kubernetes version of the node groups' AMI, e.g. "1.33". @default - the cluster's version */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as 1.33').optional(),
  /** Extra nodes per zone and role the node group may grow to during a rolling AMI update. @default 1 */
  maxSurgePerZone: z.number().int().min(0).max(10).default(1),
  /**
   * Have `<env>-nodes` manage the cluster's `vpc-cni` add-on with network policy enforcement on
   * (`enableNetworkPolicy`), so the Kafka NetworkPolicies take effect. The add-on is cluster-wide: leave false
   * when the platform team manages it, and make sure the cluster's CNI enforces NetworkPolicies.
   * @default false
   */
  enforceNetworkPolicies: z.boolean().default(false),
});

/** Where the environment lives in AWS and how its network is laid out. */
export const awsSchema = z.strictObject({
  /** AWS region, e.g. eu-west-1. */
  region: awsRegion,
  /** Availability zones in use; each one is a Kafka rack. Append new zones at the end: order fixes node ids. */
  availabilityZones: z
    .array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}[a-z]$/, 'must be an availability zone name such as eu-west-1a'))
    .min(1, 'must list at least one zone')
    .max(6, 'must list at most 6 zones (no AWS region has more)'),
  /** CIDR of the VPC. */
  vpcCidr: ipv4Cidr,
  /** Prefix length of each zone's private Kafka subnet, carved from the VPC in zone order. @default 24 */
  subnetPrefixLength: z.number().int().min(16).max(28, 'must be ≤ 28 (the smallest AWS subnet)').default(24),
  /**
   * CIDRs of client networks allowed to reach the brokers' client listener, besides members of the clients
   * security group. Never 0.0.0.0/0. @default [] - only the clients security group
   */
  clientCidrs: cidrList,
  /** CIDRs of Prometheus servers allowed to scrape the JMX exporter port, besides the monitoring security group. @default [] */
  monitoringCidrs: cidrList,
  /**
   * Outbound internet access for the Kafka subnets: `nat` adds one public subnet and NAT gateway per zone.
   * AWS APIs are always reached through VPC endpoints.
   * @default - `nat` when VMs download Kafka from an https URL (no `runtime.artifactMirror`) or EKS node groups run in
   *   these subnets (their pods pull public images), otherwise `none`
   */
  egress: z.enum(['none', 'nat']).optional(),
  /** Days VPC flow logs are kept in their KMS-encrypted CloudWatch log group. @default 365 */
  flowLogRetentionDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
    .default(365),
  /** The EKS cluster Kafka's node groups join (runtime `kubernetes`). @default - no node groups are managed here */
  eks: eksSchema.optional(),
  /**
   * Days a destroyed Secrets Manager secret (a user password) stays recoverable: 0 deletes it at once, 7–30 keep it.
   * While a secret is recoverable no secret of the same name can be created, so the environment cannot be created
   * again until the window has passed.
   * @default - 0 (deleted at once, so the environment can be re-created) outside production, 30 in production
   */
  secretRecoveryWindowDays: z
    .number()
    .int()
    .refine((days) => days === 0 || (days >= 7 && days <= 30), 'must be 0 (delete at once) or 7–30 days (the range Secrets Manager allows)')
    .optional(),
});

/** Recovery window of a production secret when the spec names none: Secrets Manager's maximum. */
export const PRODUCTION_SECRET_RECOVERY_WINDOW_DAYS = 30;

/** The recovery window `aws.secretRecoveryWindowDays` resolves to in an environment of `tier`. */
export function secretRecoveryWindowDays(aws: { readonly secretRecoveryWindowDays?: number }, tier: string): number {
  return aws.secretRecoveryWindowDays ?? (tier === 'production' ? PRODUCTION_SECRET_RECOVERY_WINDOW_DAYS : 0);
}

/** Remote Terraform state. */
export const terraformStateSchema = z.strictObject({
  /** S3 bucket holding Terraform state (created outside this project, versioned and encrypted). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /**
   * Region the bucket lives in. Required: a bucket exists in exactly one region, so environments in other regions
   * that share it must still name the bucket's own region (validation rejects a shared bucket given two regions).
   */
  region: awsRegion,
  /**
   * Customer-managed KMS key (key ARN or alias ARN) the state objects are encrypted with.
   * @default - the bucket's default encryption (SSE-S3 or the bucket's own KMS key)
   */
  kmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|alias\/[A-Za-z0-9/_-]+)$/, 'must be a KMS key ARN or alias ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid>')
    .optional(),
  /** Prefix of every state key; each stack's key is `<keyPrefix>/<stack>.tfstate`. @default - the environment name */
  keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+$/, 'must be an S3 key prefix').optional(),
});
