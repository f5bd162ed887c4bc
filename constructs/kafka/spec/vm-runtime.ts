import { z } from 'zod';
import { LOG_RETENTION_DAYS } from './aws';
import { dnsDomain } from './common';

/** Where VMs get the Kafka release. */
const kafkaDistributionSchema = z
  .strictObject({
    /**
     * SHA-512 of `kafka_2.13-<version>.tgz` (128 hex digits, as in Apache's `.sha512` file without spaces).
     * Required for a version whose digest the package does not pin (`model/kafka-releases.ts`).
     * @default - the digest pinned for `kafka.version`; nothing is ever checked against a downloaded checksum
     */
    sha512: z
      .string()
      .transform((text) => text.replace(/\s/g, '').toLowerCase())
      .pipe(z.string().regex(/^[0-9a-f]{128}$/, 'must be a SHA-512 digest: 128 hex digits'))
      .optional(),
    /** https URL of the release tarball. @default 'https://archive.apache.org/dist/kafka/<version>/kafka_2.13-<version>.tgz' */
    // Written to the node's bootstrap.env: only the characters a single-quoted env file value carries safely.
    url: z
      .string()
      .max(2048)
      .regex(/^https:\/\/[A-Za-z0-9._:/@=+,%~-]+$/, 'must be an https:// URL of A-Z, a-z, 0-9 and . _ : / @ = + , % ~ - (no quotes, spaces or shell characters)')
      .optional(),
  })
  .default(() => ({}));

/** An S3 bucket holding the artifacts, so that nodes without internet access can install Kafka. */
const artifactMirrorSchema = z.strictObject({
  /** Bucket name; nodes get read access to `<prefix>/*` only. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /** Key prefix holding `kafka_2.13-<version>.tgz` and `jmx_prometheus_javaagent-<version>.jar`. @default 'kafka-artifacts' */
  prefix: z
    .string()
    // Reaches the node's bootstrap.env inside the download URL: S3's safe key characters without ! * ( ).
    .regex(/^[A-Za-z0-9_./-]*[A-Za-z0-9_.-]$/, 'must be an S3 key prefix of A-Z, a-z, 0-9, "_", ".", "/", "-" without a trailing "/"')
    .default('kafka-artifacts'),
});

/** Who signs the certificate each node creates for itself at boot (its private key never leaves the node). */
const certificateAuthoritySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /**
     * Bring your own CA: its certificate and key, PEM, in the Secrets Manager secret `kafka/<env>/<cluster>/tls/ca`
     * as JSON `{"certificate": ..., "privateKey": ...}`. Every node can read the CA key.
     */
    kind: z.literal('secrets-manager'),
  }),
  z.strictObject({
    /** AWS Private CA: nodes send a CSR with `acm-pca:IssueCertificate`; the CA key stays in AWS. */
    kind: z.literal('private-ca'),
    /** ARN of the Private CA. */
    arn: z.string().regex(/^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/, 'must be an AWS Private CA ARN'),
  }),
]);

/**
 * Shipping of the nodes' logs (Kafka's server, controller and state-change logs, the boot log) by the CloudWatch agent
 * to one KMS-encrypted log group of the environment, `/kafka/<env>/<cluster>/nodes`.
 */
const logShippingSchema = z.strictObject({
  /**
   * Install the CloudWatch agent on every node and ship its logs. A node whose agent fails to install still starts
   * Kafka (it reports the failure as a metric, and `KafkaVmLogShippingFailed` fires). Production must say `false`
   * explicitly to go without.
   * @default - true in production, false elsewhere
   */
  enabled: z.boolean().optional(),
  /** Days CloudWatch Logs keeps the shipped logs (one of the retention periods CloudWatch accepts). @default 365 */
  retentionDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')} (days)`)
    .optional(),
});

/** Days shipped node logs are kept when the spec names none: a year, like the flow logs and session transcripts. */
export const DEFAULT_NODE_LOG_RETENTION_DAYS = 365;

/** Log shipping of a VM environment with its defaults resolved: on in production unless the spec turns it off. */
export interface VmLogShipping {
  readonly enabled: boolean;
  readonly retentionDays: number;
}

/** What `runtime.logShipping` resolves to in an environment of `tier`. */
export function vmLogShipping(runtime: { readonly logShipping?: { readonly enabled?: boolean; readonly retentionDays?: number } }, tier: string): VmLogShipping {
  return {
    enabled: runtime.logShipping?.enabled ?? tier === 'production',
    retentionDays: runtime.logShipping?.retentionDays ?? DEFAULT_NODE_LOG_RETENTION_DAYS,
  };
}

/** Options of environments whose Kafka runs on EC2 VMs (Terraform). */
export const vmRuntimeSchema = z.strictObject({
  /** `vm`: Kafka runs on EC2 instances, one per node (Terraform). */
  kind: z.literal('vm'),
  /** Private Route53 zone holding one record per node. @default '<clusterName>.<env>.internal' */
  dnsZone: dnsDomain.optional(),
  /** The Kafka release tarball and its digest. @default - Apache's archive, checked against the pinned digest */
  kafkaDistribution: kafkaDistributionSchema,
  /** S3 mirror of the Kafka tarball and the JMX exporter jar. @default - download from the internet (needs egress) */
  artifactMirror: artifactMirrorSchema.optional(),
  /** Amazon Linux 2023 package of the JVM; add `-<version>` to pin a build. @default 'java-21-amazon-corretto-headless' */
  javaPackage: z
    .string()
    .regex(/^java-(17|21|25)-amazon-corretto-headless(-[0-9][0-9A-Za-z._:-]*)?$/, 'must be an Amazon Corretto 17, 21 or 25 headless package')
    .default('java-21-amazon-corretto-headless'),
  /**
   * AMI of every node. Pin it in production: a changed AMI only takes effect when a node is replaced.
   * @default - the latest Amazon Linux 2023 for the instance's architecture, read when the node is created
   */
  amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'must be an AMI id such as ami-0abc12345def67890').optional(),
  /** Signs the nodes' certificates. @default { kind: 'secrets-manager' } */
  certificateAuthority: certificateAuthoritySchema.default(() => ({ kind: 'secrets-manager' as const })),
  /** Ship the nodes' logs to an encrypted CloudWatch log group. @default - on in production (365 days), off elsewhere */
  logShipping: logShippingSchema.optional(),
});
