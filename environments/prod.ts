import type { EnvironmentSpec } from '../constructs/kafka';

/** Production on EKS: three zones, a three-voter quorum with one voter per zone, two brokers per zone. */
export const prod: EnvironmentSpec = {
  name: 'prod',
  tier: 'production',
  aws: {
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    vpcCidr: '10.30.0.0/16',
    subnetPrefixLength: 20,
    // Dedicated Kafka node groups (prod-nodes) join this cluster, which runs in the prod-network VPC.
    eks: { clusterName: 'prod-platform' },
  },
  runtime: { kind: 'kubernetes', namespace: 'kafka' },
  kafka: {
    version: '4.1.1',
    clusterId: 'iISawsuGVJrthHr6igQxdA',
    controllers: {
      count: 3,
      size: { cpu: 1, memoryGiB: 4, instanceType: 'm6i.large' },
      storage: { sizeGiB: 20 },
    },
    brokers: {
      perZone: 2,
      // Pods take half of an r6i.2xlarge: the other half of its memory is page cache for the broker.
      size: { cpu: 4, memoryGiB: 32, instanceType: 'r6i.2xlarge' },
      storage: { sizeGiB: 1000, iops: 6000, throughputMiBps: 500 },
    },
    replicationFactor: 3,
    minInsyncReplicas: 2,
  },
  terraformState: { bucket: 'acme-kafka-terraform-state' },
  monitoring: { enabled: true },
  tags: { environment: 'prod', team: 'platform', 'cost-center': 'eng-123', 'data-classification': 'confidential' },
};
