import { z } from 'zod';
import { awsSchema, terraformStateSchema } from './aws';
import { tags } from './aws-names';
import { imageReference } from './kubernetes-names';
import { dnsDomain, dnsLabel, port } from './common';
import { kubernetesRuntimeSchema } from './kubernetes-runtime';
import { monitoringSchema } from './monitoring';
import { featureLevelsSchema, operationsSchema } from './operations';
import { securitySchema } from './security';
import { quotasSchema, topicsSchema } from './topics';
import { vmRuntimeSchema } from './vm-runtime';

/**
 * The schema of one environment: the only thing a platform team writes.
 *
 * Field-level rules (types, ranges, formats) live here; rules that relate several fields
 * (replication factor vs. broker count, quorum vs. zones, ...) live in `invariants.ts`.
 * Objects are strict, so a misspelt key is an error instead of a silently ignored setting.
 * Object defaults are factories (`.default(() => ({ ... }))`): a fresh object per parse, which costs less than the
 * shallow copy zod makes of a shared default on every parse.
 */

/** Where each environment sits on the way to production; rules get stricter along it. */
export const TIERS = ['dev', 'staging', 'production'] as const;
/** One of {@link TIERS}: `dev`, `staging` or `production`. */
export type Tier = (typeof TIERS)[number];

const nodeSizeSchema = z.strictObject({
  /** vCPUs per node. On Kubernetes this is the CPU request and limit. @default - from `instanceType` */
  cpu: z
    .number()
    .min(0.25, 'must be ≥ 0.25 (250m): a Kafka JVM starves below that')
    .max(192)
    .multipleOf(0.001, 'must be a whole number of millicores (at most 3 decimals)')
    .optional(),
  /** Memory per node in GiB. On Kubernetes, request = limit. @default - from `instanceType` */
  memoryGiB: z.number().min(0.5, 'must be ≥ 0.5 GiB').max(1536).optional(),
  /** EC2 instance type: the VM itself on `vm`, the Kafka node group's type on `kubernetes`. @default - none */
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as r6i.xlarge')
    .optional(),
  /** JVM heap in GiB. @default - a bounded share of memory, see `sizing.ts` */
  heapGiB: z.number().min(0.25, 'must be ≥ 0.25 GiB (-Xmx256m), the least a Kafka node starts with').max(1024).optional(),
});
/** CPU, memory, instance type and heap of every node of a role (`kafka.controllers.size`, `kafka.brokers.size`). */
export type NodeSizeSpec = z.infer<typeof nodeSizeSchema>;

/** EBS volume types a node's volume may have: `gp3` (baseline 3000 IOPS, 125 MiB/s) or `io2` (provisioned IOPS). */
export const VOLUME_TYPES = ['gp3', 'io2'] as const;

const storageSchema = z.strictObject({
  /** Size of each node's data volume in GiB. */
  sizeGiB: z.number().int().min(1, 'must be ≥ 1').max(65536, 'must be ≤ 65536 (EBS maximum)'),
  /** EBS volume type. @default 'gp3' */
  volumeType: z.enum(VOLUME_TYPES).default('gp3'),
  /** Provisioned IOPS. @default - 3000 for gp3; required for io2 */
  iops: z.number().int().positive().max(256000, 'must be ≤ 256000 (the io2 maximum)').optional(),
  /** Provisioned throughput in MiB/s (gp3 only). @default 125 */
  throughputMiBps: z.number().int().positive().max(4000, 'must be ≤ 4000 MiB/s').optional(),
});
/** The volume of every node of a role: size, EBS type, IOPS and throughput. */
export type StorageSpec = z.infer<typeof storageSchema>;

/** How a listener authenticates its peers. */
export const AUTHENTICATIONS = ['scram-sha-512', 'mtls', 'none'] as const;
/** One of {@link AUTHENTICATIONS}: `scram-sha-512`, `mtls` (client certificates) or `none` (dev only). */
export type Authentication = (typeof AUTHENTICATIONS)[number];

const listenerSchema = (defaultPort: number, defaultAuthentication: Authentication) =>
  z.strictObject({
    /** TCP port the listener binds on every node of its role. @default - 9092 client, 9091 replication, 9093 controller, 9094 external */
    port: port.default(defaultPort),
    /** Encrypt with TLS. Only `dev` may turn this off. @default true */
    tls: z.boolean().default(true),
    /** How peers authenticate on this listener. @default - `scram-sha-512` for client and external, `mtls` for replication and controller */
    authentication: z.enum(AUTHENTICATIONS).default(defaultAuthentication),
  });
/** One listener of `kafka.listeners`: port, TLS and authentication. */
export type ListenerSpec = z.infer<ReturnType<typeof listenerSchema>>;

const listenersSchema = z
  .strictObject({
    /** Where applications connect. @default port 9092, TLS, SCRAM-SHA-512 */
    client: listenerSchema(9092, 'scram-sha-512').default(() => ({ port: 9092, tls: true, authentication: 'scram-sha-512' as const })),
    /** Broker-to-broker replication. @default port 9091, TLS, mutual TLS */
    replication: listenerSchema(9091, 'mtls').default(() => ({ port: 9091, tls: true, authentication: 'mtls' as const })),
    /** The KRaft controller quorum; never exposed to clients. @default port 9093, TLS, mutual TLS */
    controller: listenerSchema(9093, 'mtls').default(() => ({ port: 9093, tls: true, authentication: 'mtls' as const })),
    /**
     * Access from outside the Kubernetes cluster: one LoadBalancer per broker plus a bootstrap one (options in
     * `runtime.externalAccess`). Brokers advertise `<pod>.<domain>`; clients bootstrap from `bootstrap.<domain>`.
     * @default - none
     */
    external: listenerSchema(9094, 'scram-sha-512').extend({
      /** DNS domain of the external names: brokers advertise `<pod>.<domain>`, clients bootstrap from `bootstrap.<domain>`. */
      domain: dnsDomain,
    }).optional(),
  })
  .default(() => ({
    client: { port: 9092, tls: true, authentication: 'scram-sha-512' as const },
    replication: { port: 9091, tls: true, authentication: 'mtls' as const },
    controller: { port: 9093, tls: true, authentication: 'mtls' as const },
  }));

/** Far beyond any real zone; bounds every count before anything is built from it. */
export const MAX_BROKERS_PER_ZONE = 1000;
const brokerCount = z.number().int().min(1, 'must be ≥ 1').max(MAX_BROKERS_PER_ZONE, `must be ≤ ${MAX_BROKERS_PER_ZONE}`);
const brokersPerZoneSchema = z.union([brokerCount, z.record(z.string().max(32), brokerCount)], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be a broker count (≥ 1) or a map from zone to broker count' : undefined),
});
const nodeId = z.number().int().min(0).max(2 ** 31 - 1, 'must be ≤ 2147483647 (Kafka node ids are int32)');

const nodeIdsSchema = z
  .strictObject({
    /** Node id of the first controller; controllers count up from it. @default 0 */
    firstController: nodeId.default(0),
    /** Node id of the first broker of the first zone. @default 100 */
    firstBroker: nodeId.default(100),
    /**
     * Gap between the first broker ids of consecutive zones, so adding brokers to a zone never renumbers
     * another zone's brokers. @default 100
     */
    zoneStride: nodeId.min(1).default(100),
  })
  .default(() => ({ firstController: 0, firstBroker: 100, zoneStride: 100 }));

const kafkaSchema = z.strictObject({
  /** Name of the cluster; prefixes every node and object name. @default 'kafka' */
  clusterName: dnsLabel.default('kafka'),
  /** Kafka release, 4.x only (KRaft). */
  version: z.string().regex(/^4\.\d+\.\d+$/, 'must be a Kafka 4.x release such as 4.1.1 (ZooKeeper-era 3.x is not supported)'),
  /** Container image; pin a digest with `repo:tag@sha256:...`. @default 'apache/kafka:<version>' */
  image: imageReference.optional(),
  /** The cluster id storage is formatted with: a 22-character base64url UUID (`kafka-storage.sh random-uuid`), fixed forever. */
  clusterId: z.string(),
  /** The KRaft controller quorum: how many controllers, their size and their metadata volume. */
  controllers: z.strictObject({
    /** Size of the KRaft quorum: 3 or 5 (1 only outside production). */
    count: z.number().int().min(1, 'must be 3 or 5 (1 outside production)').max(9, 'must be 3 or 5 (1 outside production)'),
    /** CPU, memory, instance type and heap of each controller. */
    size: nodeSizeSchema,
    /** The metadata volume. */
    storage: storageSchema,
  }),
  /** The brokers: how many per zone, their size and their data volume. */
  brokers: z.strictObject({
    /** Brokers in each zone: a number, or a map from zone to count (which must then be equal). */
    perZone: brokersPerZoneSchema,
    /** CPU, memory, instance type and heap of each broker. */
    size: nodeSizeSchema,
    /** The data volume. */
    storage: storageSchema,
  }),
  /** How node ids are numbered; fixed once the cluster exists. @default - controllers from 0, brokers from 100, 100 per zone */
  nodeIds: nodeIdsSchema,
  /** `default.replication.factor` and the internal topics' replication factor. */
  replicationFactor: z.number().int().min(1, 'must be ≥ 1').max(32767, 'must be ≤ 32767 (Kafka stores it as int16)'),
  /** `min.insync.replicas` for acks=all producers. */
  minInsyncReplicas: z.number().int().min(1, 'must be ≥ 1').max(32767, 'must be ≤ 32767'),
  /** The client, replication, controller and (optional) external listeners. @default - TLS everywhere: SCRAM-SHA-512 on 9092, mutual TLS on 9091 and 9093 */
  listeners: listenersSchema,
  /** Let producers create topics by writing to them. Only `dev` may turn it on. @default false */
  autoCreateTopics: z.boolean().default(false),
  /** Finalized feature levels (`metadata.version`, ...), see `operations.ts`. @default - none managed */
  features: featureLevelsSchema,
});

/**
 * The zod schema of an {@link EnvironmentSpec}; `validateEnvironment` parses with it (then checks the invariants), so
 * a misspelt key or an out-of-range value is an error naming its field.
 */
export const environmentSpecSchema = z.strictObject({
  /** Environment name: the `<env>` in `dist/<env>/` and in stack names `<env>-<part>`. */
  name: dnsLabel,
  /** Where on the way to production this environment is; production gets the strictest rules. */
  tier: z.enum(TIERS),
  /** The AWS account side: region, zones, VPC range, admitted networks, and the EKS cluster on `kubernetes`. */
  aws: awsSchema,
  /** Where Kafka runs: Kubernetes (cdk8s manifests) or EC2 VMs (Terraform). */
  runtime: z.discriminatedUnion('kind', [kubernetesRuntimeSchema, vmRuntimeSchema]),
  /** The Kafka cluster: version, quorum, brokers, node ids, listeners, replication and feature levels. */
  kafka: kafkaSchema,
  /** Where the Terraform state of the environment's stacks lives (an S3 bucket created outside this project). */
  terraformState: terraformStateSchema,
  /** Metrics, alerts and dashboards. @default - JMX exporter on 9404, Prometheus Operator objects, kafka-exporter */
  monitoring: monitoringSchema,
  /** TLS certificates, users, ACLs and network isolation. @default - generated CA, no application users or ACLs */
  security: securitySchema,
  /** Topics the reconcile creates and keeps in shape (see `spec/topics.ts`). @default {} */
  topics: topicsSchema,
  /** Client quotas per user and/or client id (see `spec/topics.ts`). @default [] */
  quotas: quotasSchema,
  /** Draining brokers, rolling and reassignment limits, see `operations.ts`. @default - nothing draining */
  operations: operationsSchema,
  /** Tags on every AWS resource (provider default tags). @default {} */
  tags: tags.default(() => ({})),
});

/** What a platform team writes in `environments/<env>.ts`. */
export type EnvironmentSpec = z.input<typeof environmentSpecSchema>;
/** A spec with every default filled in, as the rest of the code sees it. */
export type ResolvedSpec = z.output<typeof environmentSpecSchema>;
/** `runtime` of a Kafka on Kubernetes (`kind: 'kubernetes'`), defaults filled in. */
export type KubernetesRuntime = z.output<typeof kubernetesRuntimeSchema>;
/** `runtime` of a Kafka on EC2 VMs (`kind: 'vm'`), defaults filled in. */
export type VmRuntime = z.output<typeof vmRuntimeSchema>;
/** The `security` part of a spec, defaults filled in. */
export type SecuritySpec = z.output<typeof securitySchema>;
/** The `monitoring` part of a spec, defaults filled in. */
export type MonitoringSpec = z.output<typeof monitoringSchema>;
export type { FeatureLevelsSpec, OperationsSpec } from './operations';
