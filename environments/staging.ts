import type { EnvironmentSpec } from '../constructs/kafka';
// The ACL helpers from their own module, not the barrel: every test file that imports the environments would load
// all of constructs/kafka with it (the Grafana SDK's modules among them). Outside this repository: from the package.
import { consumer, producer } from '../constructs/kafka/spec/security';

/** A production-shaped cluster on EC2 VMs: three zones, three controllers, one broker per zone. */
export const staging: EnvironmentSpec = {
  name: 'staging',
  tier: 'staging',
  aws: {
    region: 'eu-central-1',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    vpcCidr: '10.20.0.0/16',
    // The application VPC (peered) and the shared Prometheus subnet; everything else needs the clients security group.
    clientCidrs: ['10.21.0.0/16'],
    monitoringCidrs: ['10.99.4.0/24'],
  },
  // Kafka downloads from archive.apache.org through NAT and is checked against the digest pinned for its version
  // (constructs/kafka/model/kafka-releases.ts); use an artifactMirror to run without internet.
  // Ships the nodes' logs to CloudWatch as production does by default, so the agent is proven here first.
  runtime: { kind: 'vm', logShipping: { enabled: true } },
  kafka: {
    version: '4.1.1',
    clusterId: 'lPtdYPWC2I-vrVHghXsuig',
    controllers: {
      count: 3,
      size: { instanceType: 'm6i.large' },
      storage: { sizeGiB: 20 },
    },
    brokers: {
      perZone: 1,
      size: { instanceType: 'r6i.large' },
      storage: { sizeGiB: 200, iops: 3000, throughputMiBps: 250 },
    },
    replicationFactor: 3,
    minInsyncReplicas: 2,
  },
  terraformState: { bucket: 'acme-kafka-terraform-state', region: 'eu-west-1' },
  monitoring: { enabled: true },
  // The example application, as in prod: on VMs its password comes from Secrets Manager at run time and the
  // controllers' reconcile timer applies its user, ACLs, topics and quota.
  security: {
    users: { orders: { password: 'generated' } },
    acls: { orders: [producer('orders'), producer('orders.dlq'), consumer('payments', 'orders')] },
  },
  topics: {
    // Failed orders go to orders.dlq, kept longer for replay.
    orders: { partitions: 6, configs: { 'retention.ms': 604800000 }, deadLetter: { partitions: 1, configs: { 'retention.ms': 2592000000 } } },
    payments: { partitions: 6, configs: { 'retention.ms': 604800000 } },
    // Latest profile per customer key: compacted, never expired by time.
    'customer-profiles': { partitions: 3, configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': 3600000 } },
  },
  quotas: [{ user: 'orders', limits: { producer_byte_rate: 5242880, consumer_byte_rate: 10485760 } }],
  tags: { environment: 'staging', team: 'platform', 'cost-center': 'eng-123' },
};
