import type { EnvironmentSpec } from '../constructs/kafka';

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
  // Kafka downloads from archive.apache.org through NAT and is checked against Apache's published SHA-512;
  // pin kafkaDistribution.sha512 (required in production) or use an artifactMirror to run without internet.
  runtime: { kind: 'vm' },
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
  tags: { environment: 'staging', team: 'platform', 'cost-center': 'eng-123' },
};
