import type { EnvironmentSpec } from '../constructs/kafka';

/** A single-zone, single-broker cluster on a shared Kubernetes cluster, for developing against. */
export const dev: EnvironmentSpec = {
  name: 'dev',
  tier: 'dev',
  aws: {
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a'],
    vpcCidr: '10.10.0.0/16',
  },
  runtime: { kind: 'kubernetes', namespace: 'kafka-dev' },
  kafka: {
    version: '4.1.1',
    clusterId: 'dY2fQ8zC9Oqd9GIlQUCvHQ',
    controllers: {
      count: 1,
      size: { cpu: 0.5, memoryGiB: 1 },
      storage: { sizeGiB: 5 },
    },
    brokers: {
      perZone: 1,
      size: { cpu: 1, memoryGiB: 2 },
      storage: { sizeGiB: 20 },
    },
    replicationFactor: 1,
    minInsyncReplicas: 1,
    // Plaintext without authentication is allowed in dev only; validation rejects it anywhere else.
    listeners: {
      client: { tls: false, authentication: 'none' },
      replication: { tls: false, authentication: 'none' },
      controller: { tls: false, authentication: 'none' },
    },
    autoCreateTopics: true,
  },
  terraformState: { bucket: 'acme-kafka-terraform-state', region: 'eu-west-1' },
  monitoring: { enabled: true },
  tags: { environment: 'dev', team: 'platform', 'cost-center': 'eng-123' },
};
