import { z } from 'zod';
import { secretsManagerSecret } from './aws-names';
import { ipv4Cidr } from './cidr';
import { dnsLabel } from './common';
import { cronSchedule, dnsSubdomainName, goDuration, imageReference, labels } from './kubernetes-names';

/**
 * TLS certificates, users, ACLs and network isolation. Listener protocols and authentication live in
 * `kafka.listeners`; this part says who may connect and what they may do.
 */

/** Kafka ACL operations, spelt as `kafka-acls.sh` spells them. */
export const ACL_OPERATIONS = [
  'All',
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'DescribeConfigs',
  'AlterConfigs',
  'IdempotentWrite',
] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/** Resource types an application ACL can name. */
export const ACL_RESOURCE_TYPES = ['topic', 'group', 'transactional-id', 'cluster'] as const;
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];

/** `literal` matches one name (`*` = every name); `prefixed` matches every name starting with it. */
export const ACL_PATTERN_TYPES = ['literal', 'prefixed'] as const;
export type AclPatternType = (typeof ACL_PATTERN_TYPES)[number];

/** A Kafka resource name (topic, group, transactional id); `*` is Kafka's literal wildcard. */
const resourceName = z
  .string()
  .min(1, 'must not be empty')
  .max(249, 'must be at most 249 characters (Kafka topic limit)')
  .regex(/^(\*|[A-Za-z0-9._-]+)$/, 'must be "*" or use only A-Z, a-z, 0-9, ".", "_" and "-"');

const patternType = z.enum(ACL_PATTERN_TYPES).default('literal');

/** Write to a topic (idempotence included: since KIP-679 Write implies IdempotentWrite). */
const producerBundle = z.strictObject({
  /** `producer`: Write and Describe on `topic`. */
  bundle: z.literal('producer'),
  /** Topic (or, `prefixed`, topic name prefix) the principal may write to and describe. */
  topic: resourceName,
  /** How `topic` matches. @default 'literal' */
  patternType,
});

/** Read a topic as a member of a consumer group. */
const consumerBundle = z.strictObject({
  /** `consumer`: Read and Describe on `topic`, Read on `group`. */
  bundle: z.literal('consumer'),
  /** Topic (or prefix) the principal may read and describe. */
  topic: resourceName,
  /** Consumer group (or prefix) the principal may join and commit offsets in (Read on the group). */
  group: resourceName,
  /** How `topic` and `group` match. @default 'literal' */
  patternType,
});

/** Write a topic inside transactions under a transactional id. */
const transactionalProducerBundle = z.strictObject({
  /** `transactional-producer`: Write and Describe on `topic` and on `transactionalId`. */
  bundle: z.literal('transactional-producer'),
  /** Topic (or prefix) the principal may write to and describe. */
  topic: resourceName,
  /** The producer's `transactional.id` (or prefix), which it may use (Write and Describe). */
  transactionalId: resourceName,
  /** How `topic` and `transactionalId` match. @default 'literal' */
  patternType,
});

/** One ACL rule spelt out, for what the bundles do not cover. */
const rawAcl = z.strictObject({
  /** `custom`: one ACL rule spelt out. */
  bundle: z.literal('custom'),
  /** Kind of resource the rule is on: `topic`, `group`, `transactional-id` or `cluster`. */
  resourceType: z.enum(ACL_RESOURCE_TYPES),
  /** Resource name; for `cluster` always `kafka-cluster`. */
  name: resourceName,
  /** How `name` matches. @default 'literal' */
  patternType,
  /** Operations the rule allows or denies, as `kafka-acls.sh` spells them (`Read`, `Write`, `Describe`, ...). */
  operations: z.array(z.enum(ACL_OPERATIONS)).min(1, 'must list at least one operation'),
  /** Whether the rule allows or denies the operations; a deny wins over every allow. @default 'allow' */
  permission: z.enum(['allow', 'deny']).default('allow'),
  /** Client host the rule applies to. @default '*' (any host: pod IPs change) */
  // One field of a `|`-separated plan line the reconcile job reads line by line: an address or `*`, nothing else.
  host: z
    .string()
    .regex(/^(\*|(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/, 'must be "*" or one IPv4 or IPv6 address (Kafka ACL hosts are addresses)')
    .default('*'),
});

/** One entry of a principal's ACL list: a bundle (`producer`, `consumer`, ...) or a custom rule. */
export const aclGrantSchema = z.discriminatedUnion('bundle', [producerBundle, consumerBundle, transactionalProducerBundle, rawAcl]);
export type AclGrantInput = z.input<typeof aclGrantSchema>;
export type AclGrant = z.output<typeof aclGrantSchema>;

/** Where a SCRAM user's password comes from; we never write a password ourselves. */
const passwordSourceSchema = z.union([
  /** A Secrets Manager secret created by the `<env>-secrets` stack with a password AWS generates. */
  z.literal('generated'),
  /** An existing Secrets Manager secret (name or ARN) holding the password as plain text, or under `jsonKey`. */
  z.strictObject({
    /** Name or ARN of the existing Secrets Manager secret; the nodes (or External Secrets) are granted read on it. */
    awsSecret: secretsManagerSecret,
    /** Key of the password when the secret is a JSON object. @default - the secret is the password itself */
    jsonKey: z.string().regex(/^[A-Za-z0-9_.-]{1,256}$/, 'must be a JSON key of A-Z, a-z, 0-9, "_", ".", "-"').optional(),
  }),
]);
export type PasswordSource = z.output<typeof passwordSourceSchema>;

const userSchema = z.strictObject({
  /**
   * Secret reference of the user's SCRAM-SHA-512 password. Required when the client listener uses SCRAM;
   * with mutual TLS the user is the common name of the client's certificate and needs none.
   * @default - none
   */
  password: passwordSourceSchema.optional(),
  /**
   * Bump to have AWS generate a new password for a `generated` secret (Terraform writes it through a write-only
   * attribute, so only a version change writes a new one). @default 1
   */
  passwordVersion: z.number().int().min(1).default(1),
});
export type UserSpec = z.output<typeof userSchema>;

// cert-manager parses durations with Go's time.ParseDuration, which ends at 2562047h; a century is plenty.
const hours = z.number().int('must be whole hours').min(1, 'must be ≥ 1 hour').max(876000, 'must be ≤ 876000 hours (100 years)');

/** Which issuer signs the nodes' certificates. */
const certificateAuthoritySchema = z.discriminatedUnion('mode', [
  /** A self-signed root made by cert-manager that signs a cluster CA; nothing to bring. */
  z.strictObject({
    /** `self-signed`: cert-manager makes the root and the cluster CA; nothing to bring. */
    mode: z.literal('self-signed'),
    /** Lifetime of the cluster CA in hours. @default 43800 (5 years) */
    durationHours: hours.default(43800),
  }),
  /** Bring your own CA: an existing cert-manager Issuer in the Kafka namespace (or, outside production, a ClusterIssuer). */
  z.strictObject({
    /** `issuer`: an existing cert-manager issuer signs the node certificates. */
    mode: z.literal('issuer'),
    /** Kind of the cert-manager issuer: `Issuer` (in the Kafka namespace) or `ClusterIssuer` (outside production only). */
    kind: z.enum(['Issuer', 'ClusterIssuer']),
    /** Name of the issuer. */
    name: dnsSubdomainName,
    /**
     * Secret in the trust namespace with the CA certificate under key `ca.crt`, published to applications.
     * @default - no CA bundle is published
     */
    caSecretName: dnsLabel.optional(),
  }),
]);

const certificatesSchema = z
  .strictObject({
    /** Signer of the node certificates. @default self-signed root + cluster CA */
    authority: certificateAuthoritySchema.prefault({ mode: 'self-signed' }),
    /** Lifetime of node certificates in hours. @default 2160 (90 days) */
    durationHours: hours.default(2160),
    /** Renew this many hours before expiry; must be shorter than the duration. @default 720 (30 days) */
    renewBeforeHours: hours.default(720),
    /** Extra DNS names on broker certificates (e.g. the external listener's names; `*.` wildcards allowed). @default [] */
    extraDnsNames: z
      .array(
        z
          .string()
          .max(253, 'must be at most 253 characters')
          .regex(/^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS name, optionally starting with "*.", such as *.kafka.example.com'),
      )
      .default(() => []),
    /**
     * trust-manager's trust namespace (where its Bundles read their sources), to publish the CA certificate to every
     * namespace. The generated cluster CA lives in the Kafka namespace (node and admin certificates come from an Issuer
     * there, never a ClusterIssuer), so with it this must be the Kafka namespace.
     * @default - the Kafka namespace
     */
    trustNamespace: dnsLabel.optional(),
    /**
     * Image with bash and kubectl for the CronJob that restarts nodes, one at a time, after their certificate was
     * renewed. Pin a digest in production. @default 'docker.io/alpine/k8s:1.33.4'
     */
    rollerImage: imageReference.default('docker.io/alpine/k8s:1.33.4'),
    /** Cron schedule of that CronJob; one pod restarts per run at most. @default every 5 minutes */
    rollerSchedule: cronSchedule.default('*/5 * * * *'),
  })
  .prefault({});
export type CertificatesSpec = z.output<typeof certificatesSchema>;


/** A set of pods, by namespace (name or labels) and optionally pod labels. */
const podPeerSchema = z.strictObject({
  /** Namespace name (matched on `kubernetes.io/metadata.name`). @default - any namespace matching `namespaceLabels` */
  namespace: dnsLabel.optional(),
  /** Namespace labels. @default - the namespace named by `namespace` */
  namespaceLabels: labels.optional(),
  /** Pod labels within those namespaces. @default - every pod of the namespace(s) */
  podLabels: labels.optional(),
});
export type PodPeer = z.output<typeof podPeerSchema>;

const networkSchema = z
  .strictObject({
    /** Pods outside the Kafka namespace allowed to reach the client listener (and nothing else). @default [] */
    clients: z.array(podPeerSchema).default(() => []),
    /** The Prometheus that scrapes the metrics port. @default namespace 'monitoring', pods app.kubernetes.io/name=prometheus */
    prometheus: podPeerSchema.default(() => ({ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } })),
    /** The cluster DNS the pods resolve peers with. @default kube-system pods k8s-app=kube-dns */
    dns: podPeerSchema.default(() => ({ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } })),
    /** Where the Kubernetes API server is, for the certificate roller's egress. @default ['0.0.0.0/0'] (port 443/6443 only) */
    apiServerCidrs: z.array(ipv4Cidr).min(1).default(() => ['0.0.0.0/0']),
  })
  .prefault({});
export type NetworkAccessSpec = z.output<typeof networkSchema>;

/** How the External Secrets Operator reads AWS Secrets Manager on Kubernetes. */
const externalSecretsSchema = z
  .strictObject({
    /**
     * IAM role (IRSA) the SecretStore's ServiceAccount assumes; attach the `<env>-secrets` stack's read policy to it.
     * Required in production: without it ESO uses its controller's own identity, which every namespace allowed to
     * create a SecretStore shares, so any of them could read the admin password.
     * @default - no role annotation: ESO's own credentials (e.g. EKS Pod Identity on its controller) are used
     */
    serviceAccountRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/kafka-secrets')
      .optional(),
    /**
     * Have the `<env>-nodes` stack (which needs `aws.eks`) create the role named by `serviceAccountRoleArn`: trusted
     * only by the SecretStore's ServiceAccount through the EKS cluster's OIDC provider (IRSA), with the secrets read
     * policy attached. @default false - the role exists already
     */
    createRole: z.boolean().default(false),
    /** How often ESO re-reads Secrets Manager, i.e. how soon a rotated password reaches Kubernetes. @default '1h' */
    refreshInterval: goDuration(10, 7 * 24 * 3600).default('1h'),
  })
  .prefault({});
export type ExternalSecretsSpec = z.output<typeof externalSecretsSchema>;

/** TLS certificates, users and ACLs. Listener protocols and authentication live in `kafka.listeners`. */
export const securitySchema = z
  .strictObject({
    /** TLS certificates of nodes and clients: who signs them, their lifetime, extra names. @default - a self-signed root + cluster CA, 90-day certificates renewed 30 days before expiry */
    certificates: certificatesSchema,
    /**
     * Application users by name (a DNS label: it names Kubernetes and AWS secrets). `admin` and, with monitoring,
     * `kafka-exporter` always exist and are not declared here. @default {}
     */
    users: z.record(dnsLabel, userSchema).default(() => ({})),
    /** ACLs per principal (a declared user, or `kafka-exporter` to widen its rights), applied by the reconcile job. @default {} */
    acls: z.record(dnsLabel, z.array(aclGrantSchema)).default(() => ({})),
    /**
     * Users removed from `users`: the reconcile job deletes their SCRAM credentials and every ACL of theirs.
     * Keep a name here until every environment has reconciled. @default []
     */
    retiredUsers: z.array(dnsLabel).default(() => []),
    /** Which pods may reach which port (Kubernetes NetworkPolicies). @default - no outside clients; Prometheus in `monitoring`, DNS in `kube-system` */
    network: networkSchema,
    /** How External Secrets reads the user passwords from AWS Secrets Manager on Kubernetes. @default - ESO's own credentials, refreshed hourly */
    externalSecrets: externalSecretsSchema,
    /**
     * Cron schedule of the reconcile job that applies SCRAM users and ACLs; a rotated password reaches Kafka within
     * `externalSecrets.refreshInterval` plus this period. @default every 10 minutes
     */
    reconcileSchedule: cronSchedule.default('*/10 * * * *'),
  })
  .prefault({});

/** Bundle helpers for environment files: `acls: { 'orders-app': [producer('orders'), consumer('payments', 'orders-app')] }`. */
export function producer(topic: string, options: { prefixed?: boolean } = {}): AclGrantInput {
  return { bundle: 'producer', topic, patternType: options.prefixed ? 'prefixed' : 'literal' };
}

/** A `consumer` ACL bundle: read (and describe) `topic` as a member of `group`; `prefixed` matches both as prefixes. */
export function consumer(topic: string, group: string, options: { prefixed?: boolean } = {}): AclGrantInput {
  return { bundle: 'consumer', topic, group, patternType: options.prefixed ? 'prefixed' : 'literal' };
}

/** A `transactional-producer` ACL bundle: write `topic` in transactions under `transactionalId`; `prefixed` matches both as prefixes. */
export function transactionalProducer(topic: string, transactionalId: string, options: { prefixed?: boolean } = {}): AclGrantInput {
  return { bundle: 'transactional-producer', topic, transactionalId, patternType: options.prefixed ? 'prefixed' : 'literal' };
}
