import fc from 'fast-check';
import { OWN_TAG_KEYS } from '../../constructs/kafka/spec/aws-names';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';

/**
 * An arbitrary of valid environment specs across the options the schema offers: tiers, both runtimes, one to three
 * zones, quorum sizes, listeners, sizes and volumes, users and ACLs, Kubernetes scheduling and storage options,
 * monitoring variants, tags. Valid by construction: every generated spec must pass validation, so the property also
 * proves the rules are not stricter than documented.
 */

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1'] as const;
const CLUSTER_IDS = ['iISawsuGVJrthHr6igQxdA', 'dY2fQ8zC9Oqd9GIlQUCvHQ', 'lPtdYPWC2I-vrVHghXsuig'];
const SHA512 = 'a'.repeat(128);

const dnsLabel = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`));
const labelKey = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,8}){0,2}$/), fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,20}[A-Za-z0-9])?$/)).map(([prefix, name]) => `${prefix}/${name}`),
);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,30}[A-Za-z0-9])?)?$/);
const labelMap = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const topic = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/);

interface Choices {
  tier: 'dev' | 'staging' | 'production';
  kind: 'kubernetes' | 'vm';
  region: (typeof REGIONS)[number];
  zones: number;
  perZone: number;
  perZoneAsMap: boolean;
  controllers: 1 | 3 | 5;
  rfChoice: number;
  name: string;
  clusterName: string | undefined;
  plaintextDev: boolean;
  cpu: number;
  memoryGiB: number;
  heapShare: number | undefined;
  sizeGiB: number;
  volume: 'gp3' | 'io2';
  iopsChoice: number | undefined;
  users: { name: string; existing: boolean; jsonKey: boolean }[];
  topics: string[];
  customHost: string;
  tags: Record<string, string>;
  nodeSelector: Record<string, string>;
  podLabels: Record<string, string>;
  tolerate: boolean;
  storageClassName: string | undefined;
  provisioner: string;
  priorityValue: number;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  image: string | undefined;
  monitoring: boolean;
  bundledStack: boolean;
  selectorLabels: Record<string, string>;
  external: boolean;
  durationHours: number;
  renewShare: number;
  schedule: string;
  refreshInterval: string;
  artifactMirror: boolean;
  vmInstance: string;
}

const choices: fc.Arbitrary<Choices> = fc.record({
  tier: fc.constantFrom('dev', 'staging', 'production'),
  kind: fc.constantFrom('kubernetes', 'kubernetes', 'vm'),
  region: fc.constantFrom(...REGIONS),
  zones: fc.integer({ min: 1, max: 3 }),
  perZone: fc.integer({ min: 1, max: 3 }),
  perZoneAsMap: fc.boolean(),
  controllers: fc.constantFrom(1, 3, 5),
  rfChoice: fc.nat(),
  name: dnsLabel(12),
  clusterName: fc.option(dnsLabel(16), { nil: undefined }),
  plaintextDev: fc.boolean(),
  cpu: fc.constantFrom(0.5, 1, 1.5, 2, 4),
  memoryGiB: fc.constantFrom(2, 3, 4, 8, 16),
  heapShare: fc.option(fc.constantFrom(0.25, 0.4), { nil: undefined }),
  sizeGiB: fc.integer({ min: 10, max: 4000 }),
  volume: fc.constantFrom('gp3', 'gp3', 'io2'),
  iopsChoice: fc.option(fc.integer({ min: 3000, max: 16000 }), { nil: undefined }),
  users: fc.uniqueArray(fc.record({ name: dnsLabel(10), existing: fc.boolean(), jsonKey: fc.boolean() }), {
    maxLength: 3,
    selector: (user) => user.name,
  }),
  topics: fc.array(topic, { minLength: 1, maxLength: 3 }),
  customHost: fc.constantFrom('*', '10.1.2.3', '2001:db8::1'),
  tags: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,30}$/), { maxKeys: 5 }),
  nodeSelector: labelMap,
  podLabels: labelMap,
  tolerate: fc.boolean(),
  storageClassName: fc.option(dnsLabel(20), { nil: undefined }),
  provisioner: fc.constantFrom('ebs.csi.aws.com', 'kubernetes.io/aws-ebs'),
  priorityValue: fc.integer({ min: 0, max: 1_000_000_000 }),
  imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
  image: fc.option(fc.constantFrom('apache/kafka:4.1.1', 'registry.example.com:5000/mirror/kafka:4.1.1', `apache/kafka@sha256:${'b'.repeat(64)}`), { nil: undefined }),
  monitoring: fc.boolean(),
  bundledStack: fc.boolean(),
  selectorLabels: labelMap,
  external: fc.boolean(),
  durationHours: fc.integer({ min: 48, max: 8760 }),
  renewShare: fc.constantFrom(0.1, 0.33, 0.5),
  schedule: fc.constantFrom('*/5 * * * *', '0 3 * * 1-5', '15,45 * * * *', '@hourly', '0 0 1 JAN,JUL *'),
  refreshInterval: fc.constantFrom('15m', '1h', '30s', '1h30m'),
  artifactMirror: fc.boolean(),
  vmInstance: fc.constantFrom('m6i.large', 'r6i.large', 'r6i.xlarge'),
});

/** gp3: 3000-16000 IOPS and at most 500 per GiB; 125-1000 MiB/s and at most a quarter of the IOPS. */
function gp3Performance(iopsChoice: number | undefined, sizeGiB: number): { iops?: number; throughputMiBps?: number } {
  if (iopsChoice === undefined) return {};
  const iops = Math.min(iopsChoice, Math.max(3000, 500 * sizeGiB));
  if (iops > 500 * sizeGiB) return {};
  return { iops, throughputMiBps: Math.min(1000, Math.max(125, Math.floor(iops / 8))) };
}

function buildSpec(c: Choices): EnvironmentSpec {
  const production = c.tier === 'production';
  const zoneCount = production ? 3 : c.tier === 'staging' ? Math.max(c.zones, 2) : c.zones;
  const zones = ['a', 'b', 'c'].slice(0, zoneCount).map((letter) => `${c.region}${letter}`);
  const controllers = production && c.controllers === 1 ? 3 : c.controllers;
  const perZone = c.tier === 'staging' ? Math.max(c.perZone, 2) : c.perZone;
  const brokers = perZone * zoneCount;
  const rf = production ? 3 : c.tier === 'staging' ? 2 + (c.rfChoice % Math.min(2, brokers - 1)) : 1 + (c.rfChoice % Math.min(3, brokers));
  const minIsr = rf === 1 ? 1 : production ? 2 : 1 + (c.rfChoice % (rf - 1));
  const plaintext = c.tier === 'dev' && c.plaintextDev;
  const vm = c.kind === 'vm';
  const clusterName = c.clusterName;
  const size = vm ? { instanceType: c.vmInstance } : { cpu: c.cpu, memoryGiB: c.memoryGiB, ...(c.heapShare ? { heapGiB: c.memoryGiB * c.heapShare } : {}) };
  const storage =
    c.volume === 'io2'
      ? { sizeGiB: c.sizeGiB, volumeType: 'io2' as const, iops: Math.min(4000, c.sizeGiB * 1000) }
      : { sizeGiB: c.sizeGiB, ...gp3Performance(c.iopsChoice, c.sizeGiB) };
  const scram = !plaintext;
  const users = Object.fromEntries(
    c.users
      .filter((user) => !['admin', 'kafka-exporter'].includes(user.name))
      .map((user) => [
        user.name,
        scram ? { password: user.existing ? { awsSecret: `teams/${user.name}/kafka`, ...(user.jsonKey ? { jsonKey: 'password' } : {}) } : ('generated' as const) } : {},
      ]),
  );
  const acls = Object.fromEntries(
    Object.keys(users).map((user, index) => [
      user,
      [
        { bundle: 'producer' as const, topic: c.topics[index % c.topics.length] },
        { bundle: 'consumer' as const, topic: c.topics[0], group: `${user}-group` },
        { bundle: 'custom' as const, resourceType: 'topic' as const, name: c.topics[0], operations: ['Describe' as const], host: c.customHost },
      ],
    ]),
  );
  const external = !vm && c.external;
  const monitoringEnabled = c.monitoring || production;
  const bundled = !vm && monitoringEnabled && c.bundledStack;
  return {
    name: c.name,
    tier: c.tier,
    aws: {
      region: c.region,
      availabilityZones: zones,
      vpcCidr: '10.40.0.0/16',
      subnetPrefixLength: vm ? 24 : 20,
    },
    runtime: vm
      ? {
          kind: 'vm',
          ...(production || c.artifactMirror ? { kafkaDistribution: { sha512: SHA512 } } : {}),
          // Production VMs run without internet egress: their artifacts come from the mirror.
          ...(production || c.artifactMirror ? { artifactMirror: { bucket: 'acme-kafka-artifacts' } } : {}),
        }
      : {
          kind: 'kubernetes',
          namespace: `${c.name}-kafka`.slice(0, 40).replace(/-+$/, ''),
          imagePullPolicy: c.imagePullPolicy,
          nodeSelector: c.nodeSelector,
          tolerations: c.tolerate ? [{ key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }] : [],
          storageClass: { provisioner: c.provisioner, ...(c.storageClassName ? { name: c.storageClassName } : {}) },
          priorityClass: { value: c.priorityValue },
          ...(external ? { externalAccess: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } } } : {}),
        },
    kafka: {
      ...(clusterName ? { clusterName } : {}),
      version: '4.1.1',
      ...(c.image ? { image: c.image } : {}),
      clusterId: CLUSTER_IDS[c.rfChoice % CLUSTER_IDS.length],
      controllers: { count: controllers, size, storage: { sizeGiB: 20 } },
      brokers: { perZone: c.perZoneAsMap ? Object.fromEntries(zones.map((zone) => [zone, perZone])) : perZone, size, storage },
      replicationFactor: rf,
      minInsyncReplicas: minIsr,
      ...(plaintext
        ? {
            listeners: {
              client: { tls: false, authentication: 'none' },
              replication: { tls: false, authentication: 'none' },
              controller: { tls: false, authentication: 'none' },
            },
          }
        : external
          ? { listeners: { external: { domain: 'kafka.example.com' } } }
          : {}),
    },
    terraformState: { bucket: 'acme-kafka-terraform-state', region: 'eu-west-1' },
    monitoring: {
      enabled: monitoringEnabled,
      prometheusOperator: { enabled: !bundled, selectorLabels: c.selectorLabels },
      ...(bundled ? { prometheus: { deploy: true }, grafana: { deploy: true } } : {}),
      // Production pods start without the internet: the JMX exporter jar from a mirror image.
      ...(production && !vm ? { jmxExporter: { image: 'registry.example.com/mirror/jmx-exporter:1.6.0', jarPath: '/jmx_prometheus_javaagent-1.6.0.jar' } } : {}),
    },
    security: {
      users,
      acls,
      certificates: {
        durationHours: c.durationHours,
        renewBeforeHours: Math.max(1, Math.floor(c.durationHours * c.renewShare)),
        rollerSchedule: c.schedule,
        ...(external ? { extraDnsNames: ['*.kafka.example.com', 'kafka.example.com'] } : {}),
      },
      reconcileSchedule: c.schedule,
      externalSecrets: {
        refreshInterval: c.refreshInterval,
        // Production's SecretStore authenticates as its own IRSA role, never as the controller.
        ...(production && !vm ? { serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/kafka-external-secrets' } : {}),
      },
      network: { clients: [{ namespace: 'apps', podLabels: c.podLabels }] },
    },
    tags: Object.fromEntries(Object.entries(c.tags).filter(([key]) => !OWN_TAG_KEYS.includes(key))),
  };
}

export const validSpec: fc.Arbitrary<EnvironmentSpec> = choices.map(buildSpec);
