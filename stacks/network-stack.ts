import type { Construct } from 'constructs';
import { TerraformOutput } from '../constructs/aws/cdktf';
import { KafkaNetwork } from '../constructs/aws/kafka-network';
import type { ResolvedSpec } from '../constructs/kafka/environment-spec';
import { EnvironmentStack } from './environment-stack';

/** `<env>-network`: the VPC and one private subnet per zone (= Kafka rack). */
export class NetworkStack extends EnvironmentStack {
  readonly network: KafkaNetwork;

  constructor(scope: Construct, spec: ResolvedSpec) {
    super(scope, spec, 'network');
    this.network = new KafkaNetwork(this, 'network', {
      name: `${spec.name}-${spec.kafka.clusterName}`,
      vpcCidr: spec.aws.vpcCidr,
      availabilityZones: spec.aws.availabilityZones,
      subnetPrefixLength: spec.aws.subnetPrefixLength,
    });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId, description: 'VPC of the Kafka cluster' });
    new TerraformOutput(this, 'private_subnet_ids', {
      value: Object.fromEntries(this.network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id])),
      description: 'Private Kafka subnet of each availability zone (= Kafka rack)',
    });
  }
}
