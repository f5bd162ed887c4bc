import type { Construct } from 'constructs';
import { TerraformOutput } from '../constructs/aws/cdktf';
import { KafkaNodeGroups } from '../constructs/aws/kafka-node-groups';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { kafkaNodeGroups } from '../constructs/kafka/model/placement';
import { EnvironmentStack } from './environment-stack';
import type { NetworkStack } from './network-stack';

/**
 * `<env>-nodes` (runtime `kubernetes` with `aws.eks`): EKS managed node groups dedicated to Kafka, per zone and role,
 * in the subnets the spec names or else in the Kafka subnets of `<env>-network`.
 */
export class NodesStack extends EnvironmentStack {
  readonly nodeGroups: KafkaNodeGroups;

  constructor(scope: Construct, model: ClusterModel, network?: NetworkStack) {
    super(scope, model.spec, 'nodes');
    const { spec } = model;
    const eks = spec.aws.eks;
    if (!eks) throw new Error(`NodesStack: environment ${spec.name} names no aws.eks cluster`);
    let subnetIds = eks.subnetIds;
    if (!subnetIds) {
      if (!network) throw new Error(`NodesStack: environment ${spec.name} needs aws.eks.subnetIds or the network stack`);
      this.addDependency(network);
      subnetIds = Object.fromEntries(network.network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id]));
    }
    this.nodeGroups = new KafkaNodeGroups(this, 'node-groups', {
      name: `${spec.name}-${spec.kafka.clusterName}`,
      clusterName: eks.clusterName,
      groups: kafkaNodeGroups(spec, model.nodes, model.sizing),
      subnetIds,
      ...(eks.kubernetesVersion ? { kubernetesVersion: eks.kubernetesVersion } : {}),
    });
    new TerraformOutput(this, 'node_group_names', {
      value: this.nodeGroups.nodeGroups.map((group) => group.nodeGroupName),
      description: 'EKS node groups dedicated to Kafka',
    });
    new TerraformOutput(this, 'node_role_arn', { value: this.nodeGroups.role.arn, description: 'IAM role of the Kafka nodes' });
  }
}
