import { z } from 'zod';
import { ipv4Cidr } from './cidr';
import { dnsDomain, dnsLabel } from './common';
import { annotations, labelKey, labelValue, qualifiedName } from './kubernetes-names';

/** Options of environments whose Kafka runs on Kubernetes (cdk8s manifests). */

/** A toleration, as Kubernetes spells it, so pods may land on tainted, dedicated Kafka nodes. */
const tolerationSchema = z.strictObject({
  /** Taint key to tolerate; empty with operator Exists tolerates every taint. @default - none: every key (with `Exists`) */
  key: labelKey.optional(),
  /** `Equal` matches the taint's key and value; `Exists` matches the key alone (any value). @default 'Equal' */
  operator: z.enum(['Equal', 'Exists']).default('Equal'),
  /** Taint value (with operator Equal). @default - none */
  value: labelValue.optional(),
  /** Taint effect to tolerate. @default - every effect */
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});
export type TolerationSpec = z.output<typeof tolerationSchema>;

export const RECLAIM_POLICIES = ['Retain', 'Delete'] as const;

/** The StorageClass of the data and metadata volumes. */
const storageClassSchema = z
  .strictObject({
    /**
     * Create the StorageClass (cluster-scoped) from this spec. Set false to use an existing class named `name`.
     * @default true
     */
    create: z.boolean().default(true),
    /**
     * Name of an existing StorageClass for every volume (with `create: false`), or the prefix of the created ones.
     * @default - '<namespace>-<clusterName>-broker' and '-controller' (unique per environment in a shared cluster)
     */
    name: dnsLabel.optional(),
    /** CSI provisioner. @default 'ebs.csi.aws.com' (the AWS EBS CSI driver) */
    provisioner: qualifiedName.default('ebs.csi.aws.com'),
    /**
     * What happens to a volume when its claim is deleted.
     * @default - 'Retain' in production (a deleted claim never deletes data), 'Delete' elsewhere
     */
    reclaimPolicy: z.enum(RECLAIM_POLICIES).optional(),
    /**
     * KMS key (ARN) that encrypts the EBS volumes.
     * @default - in production with `aws.eks`, the environment's key `alias/<env>-<cluster>/persistent-volumes`
     *   (created by `<env>-nodes`); otherwise the account's default EBS key (aws/ebs)
     */
    kmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/, 'must be a KMS key or alias ARN')
      .optional(),
  })
  .prefault({});

/** The PriorityClass of the Kafka pods, so the scheduler never evicts them for less important work. */
const priorityClassSchema = z
  .strictObject({
    /** Create the PriorityClass (cluster-scoped). Set false to reference an existing one by `name`. @default true */
    create: z.boolean().default(true),
    /** Name of the PriorityClass to create, or of the existing one (with `create: false`). @default '<namespace>-<clusterName>' */
    name: dnsLabel.optional(),
    /** Priority; user classes may go up to 1,000,000,000 (higher is reserved for system pods). @default 1000000 */
    value: z.number().int().min(0).max(1_000_000_000, 'must be ≤ 1000000000 (higher values are reserved for system pods)').default(1_000_000),
  })
  .prefault({});

/** Load balancers of the external listener (`kafka.listeners.external`). */
const externalAccessSchema = z
  .strictObject({
    /** Put the load balancers on the internet instead of inside the VPC. @default false */
    internetFacing: z.boolean().default(false),
    /** Client CIDRs the load balancers admit. @default [] - anyone who reaches the scheme (the VPC, or the internet) */
    sourceRanges: z.array(ipv4Cidr).default(() => []),
    /** Annotations added to (and overriding) the generated ones on every external Service. @default {} */
    annotations: annotations.default(() => ({})),
    /** Which load balancer implementation provisions them. @default 'service.k8s.aws/nlb' (AWS Load Balancer Controller, one NLB each) */
    loadBalancerClass: qualifiedName.default('service.k8s.aws/nlb'),
  })
  .prefault({});

const gracePeriodSeconds = z.number().int().min(30, 'must be ≥ 30 s: a controlled shutdown moves leadership first').max(3600, 'must be ≤ 3600 s');

export const kubernetesRuntimeSchema = z.strictObject({
  /** `kubernetes`: Kafka runs as StatefulSets in an existing cluster (cdk8s manifests). */
  kind: z.literal('kubernetes'),
  /** Namespace of every Kafka object. @default 'kafka' */
  namespace: dnsLabel.default('kafka'),
  /** The cluster's DNS domain. @default 'cluster.local' */
  clusterDomain: dnsDomain.default('cluster.local'),
  /** The StorageClass of the Kafka volumes: created from the spec, or an existing one. @default - created: gp3 (or the volume type of `kafka.*.storage`), encrypted, WaitForFirstConsumer, expandable */
  storageClass: storageClassSchema,
  /** Load balancers of the external listener. @default - internal NLBs, open to the VPC, when `kafka.listeners.external` is set */
  externalAccess: externalAccessSchema,
  /** The PriorityClass of the Kafka pods. @default - created, value 1000000 */
  priorityClass: priorityClassSchema,
  /** When the kubelet pulls the Kafka image. @default 'IfNotPresent' */
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  /** Secrets (in the namespace) with registry credentials for a private mirror of the image. @default [] */
  imagePullSecrets: z.array(dnsLabel).default(() => []),
  /** Node labels every Kafka pod requires, e.g. a dedicated node group. @default {} (any node of the zone) */
  nodeSelector: z.record(labelKey, labelValue).default(() => ({})),
  /** Taints of dedicated Kafka nodes the pods tolerate. @default [] */
  tolerations: z.array(tolerationSchema).default(() => []),
  /**
   * Seconds a stopping broker gets for its controlled shutdown (moving partition leadership away and flushing)
   * before it is killed. @default 300
   */
  brokerTerminationGracePeriodSeconds: gracePeriodSeconds.default(300),
  /**
   * How a changed broker pod template reaches running brokers. Each zone is its own StatefulSet and Kubernetes rolls
   * StatefulSets independently, so 'RollingUpdate' with several zones restarts one broker in every zone at once,
   * which can take every replica of a partition offline; 'OnDelete' waits for `docs/kubernetes.md`'s one-at-a-time roll.
   * @default - 'RollingUpdate' with one zone, 'OnDelete' with several
   */
  brokerUpdateStrategy: z.enum(['RollingUpdate', 'OnDelete']).optional(),
  /** Seconds a stopping controller gets to hand over quorum leadership. @default 120 */
  controllerTerminationGracePeriodSeconds: gracePeriodSeconds.default(120),
  /**
   * UID and GID the Kafka processes run as; volumes are group-owned by it (fsGroup).
   * @default 1000 (the `appuser` of the apache/kafka image)
   */
  runAsUser: z.number().int().min(1, 'must be ≥ 1: Kafka never runs as root').max(2147483647).default(1000),
});
