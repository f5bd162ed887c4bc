/**
 * Example: a team that already has its own cdktf app adds a self-managed Kafka cluster on EC2 to one of its stacks,
 * with its own provider and backend, using our constructs without our stacks. Built and `terraform validate`d in
 * the tests (test/terraform/validate.test.ts), like every stack of the project.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../constructs/aws/cdktf';
import { KafkaBrokerFleet } from '../constructs/aws/kafka-broker-fleet';
import { KafkaNetwork } from '../constructs/aws/kafka-network';
import { KafkaSecurityGroups } from '../constructs/aws/kafka-security-groups';
import { buildClusterModel } from '../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { renderJmxExporterConfig } from '../constructs/kafka/monitoring/jmx-exporter-config';
import { validateEnvironment } from '../constructs/kafka/validation/validate';

/** The cluster, described as any environment is: validation and the model work the same outside our stacks. */
export const ordersKafka: EnvironmentSpec = {
  name: 'orders',
  tier: 'staging',
  aws: {
    region: 'eu-central-1',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    vpcCidr: '10.50.0.0/16',
    clientCidrs: ['10.60.0.0/16'],
  },
  runtime: { kind: 'vm' },
  kafka: {
    clusterName: 'orders',
    version: '4.1.1',
    clusterId: 'AsJwHNo4zs3d33adDbhhKQ',
    controllers: { count: 3, size: { instanceType: 'm6i.large' }, storage: { sizeGiB: 20 } },
    brokers: { perZone: 1, size: { instanceType: 'r6i.large' }, storage: { sizeGiB: 500, iops: 6000, throughputMiBps: 250 } },
    replicationFactor: 3,
    minInsyncReplicas: 2,
  },
  terraformState: { bucket: 'orders-team-terraform-state', region: 'eu-central-1' },
};

export class OrdersKafkaStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const model = buildClusterModel(validateEnvironment(ordersKafka));
    const { region, availabilityZones, vpcCidr } = model.spec.aws;
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags: { team: 'orders' } }] });

    const network = new KafkaNetwork(this, 'network', { name: 'orders-kafka', region, vpcCidr, availabilityZones });
    const securityGroups = new KafkaSecurityGroups(this, 'security-groups', {
      name: 'orders-kafka',
      vpcId: network.vpcId,
      clientPort: 9092,
      replicationPort: 9091,
      controllerPort: 9093,
      metricsPort: 9404,
      clientCidrs: model.spec.aws.clientCidrs,
      // Nodes download packages from S3 (prefix list) and reach AWS APIs through the VPC endpoints.
      httpsEgress: { cidrs: [network.vpcCidr], prefixListIds: [network.s3PrefixListId] },
    });
    const fleet = new KafkaBrokerFleet(this, 'fleet', {
      model,
      vpcId: network.vpcId,
      subnetIds: Object.fromEntries(network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id])),
      controllerSecurityGroupIds: [securityGroups.controllers.id],
      brokerSecurityGroupIds: [securityGroups.brokers.id],
      jmxExporterConfig: renderJmxExporterConfig(model.spec),
    });
    new TerraformOutput(this, 'bootstrap_servers', { value: model.bootstrapServers });
    new TerraformOutput(this, 'client_security_group_id', { value: securityGroups.clients.id });
    new TerraformOutput(this, 'dns_zone_id', { value: fleet.dnsZone.zoneId });
  }
}
