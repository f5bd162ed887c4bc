// A team's own description of its Kafka cluster, typed and validated by the installed package's root entry.
import { type EnvironmentSpec, buildClusterModel, validateEnvironment } from 'kafka-typed-infra';

export const payments: EnvironmentSpec = {
  name: 'payments',
  tier: 'staging',
  aws: { region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], vpcCidr: '10.70.0.0/16' },
  runtime: { kind: 'vm' },
  kafka: {
    version: '4.1.1',
    clusterId: 'm3wP5Qp1Sz2yWbKqv0bTbw',
    controllers: { count: 3, size: { instanceType: 'm6i.large' }, storage: { sizeGiB: 20 } },
    brokers: { perZone: 1, size: { instanceType: 'r6i.large' }, storage: { sizeGiB: 100 } },
    replicationFactor: 3,
    minInsyncReplicas: 2,
  },
  terraformState: { bucket: 'payments-terraform-state', region: 'eu-west-1' },
};

export const paymentsModel = buildClusterModel(validateEnvironment(payments));
