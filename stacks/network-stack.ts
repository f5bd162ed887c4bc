import type { Construct } from 'constructs';
import { TerraformOutput } from '../constructs/aws/cdktf';
import { KafkaNetwork } from '../constructs/aws/kafka-network';
import { interfaceEndpointServices, resolvedEgress } from '../constructs/kafka/model/aws-layout';
import type { ResolvedSpec } from '../constructs/kafka/spec/environment-spec';
import { EnvironmentStack } from './environment-stack';

/**
 * `<env>-network`: the VPC, one private subnet per zone (= Kafka rack), VPC endpoints so nodes need no internet,
 * encrypted flow logs, and public subnets with NAT only when the environment has egress.
 */
export class NetworkStack extends EnvironmentStack {
  /** The VPC, its per-zone private subnets, VPC endpoints and flow logs. */
  readonly network: KafkaNetwork;

  constructor(scope: Construct, spec: ResolvedSpec) {
    super(scope, spec, 'network');
    this.network = new KafkaNetwork(this, 'network', {
      name: `${spec.name}-${spec.kafka.clusterName}`,
      region: spec.aws.region,
      vpcCidr: spec.aws.vpcCidr,
      availabilityZones: spec.aws.availabilityZones,
      subnetPrefixLength: spec.aws.subnetPrefixLength,
      interfaceEndpoints: interfaceEndpointServices(spec),
      egress: resolvedEgress(spec),
      flowLogRetentionDays: spec.aws.flowLogRetentionDays,
      // The artifact mirror may live in another account; everything else the nodes read from S3 is the account's own.
      readableS3Prefixes: spec.runtime.kind === 'vm' && spec.runtime.artifactMirror ? [spec.runtime.artifactMirror] : [],
    });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId, description: 'VPC of the Kafka cluster' });
    new TerraformOutput(this, 'vpc_cidr', { value: spec.aws.vpcCidr, description: 'CIDR of the VPC' });
    new TerraformOutput(this, 'private_subnet_ids', {
      value: Object.fromEntries(this.network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id])),
      description: 'Private Kafka subnet of each availability zone (= Kafka rack)',
    });
    new TerraformOutput(this, 'endpoint_security_group_id', {
      value: this.network.endpointSecurityGroup.id,
      description: 'Security group of the VPC interface endpoints',
    });
    new TerraformOutput(this, 'flow_log_group', { value: this.network.flowLogGroup.name, description: 'CloudWatch log group of the VPC flow logs' });
  }
}
