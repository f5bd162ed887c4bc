import type { Construct } from 'constructs';
import { TerraformOutput } from '../constructs/aws/cdktf';
import { KafkaBrokerFleet } from '../constructs/aws/kafka-broker-fleet';
import { KafkaSecurityGroups } from '../constructs/aws/kafka-security-groups';
import { resolvedEgress } from '../constructs/kafka/model/aws-layout';
import { type ClusterModel, listenerByKey } from '../constructs/kafka/model/cluster-model';
import { vmBootstrapOptions } from '../constructs/kafka/vm/artifacts';
import { EnvironmentStack } from './environment-stack';
import type { NetworkStack } from './network-stack';
import type { SecretsStack } from './secrets-stack';

/**
 * `<env>-kafka` (runtime `vm`): the security groups and the EC2 fleet of controllers and brokers, in the subnets of
 * `<env>-network` (read through its remote state, so the two are deployed in order).
 */
export class KafkaStack extends EnvironmentStack {
  /** Security groups of controllers, brokers, clients and monitoring; attach `clients` to applications. */
  readonly securityGroups: KafkaSecurityGroups;
  /** The EC2 controllers and brokers, their data volumes, DNS records and instance roles. */
  readonly fleet: KafkaBrokerFleet;

  constructor(scope: Construct, model: ClusterModel, network: NetworkStack, secrets?: SecretsStack) {
    super(scope, model.spec, 'kafka');
    const { spec } = model;
    this.addDependency(network);
    const name = `${spec.name}-${spec.kafka.clusterName}`;
    const net = network.network;
    this.securityGroups = new KafkaSecurityGroups(this, 'security-groups', {
      name,
      vpcId: net.vpcId,
      clientPort: listenerByKey(model, 'client').port,
      replicationPort: listenerByKey(model, 'replication').port,
      controllerPort: listenerByKey(model, 'controller').port,
      ...(spec.monitoring.enabled ? { metricsPort: spec.monitoring.jmxExporterPort } : {}),
      clientCidrs: spec.aws.clientCidrs,
      monitoringCidrs: spec.aws.monitoringCidrs,
      // Without egress, HTTPS reaches only the interface endpoints (in the VPC) and S3 (gateway prefix list).
      httpsEgress:
        resolvedEgress(spec) === 'nat'
          ? { cidrs: ['0.0.0.0/0'], prefixListIds: [net.s3PrefixListId] }
          : { cidrs: [spec.aws.vpcCidr], prefixListIds: [net.s3PrefixListId] },
    });
    this.fleet = new KafkaBrokerFleet(this, 'fleet', {
      model,
      name,
      vpcId: net.vpcId,
      subnetIds: Object.fromEntries(net.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id])),
      controllerSecurityGroupIds: [this.securityGroups.controllers.id],
      brokerSecurityGroupIds: [this.securityGroups.brokers.id],
      // The same options dist/<env>/vm/ is rendered with, so reviewers read exactly what the nodes get.
      ...vmBootstrapOptions(model),
      ...(secrets ? { secretsKmsKeyArn: secrets.secrets.kmsKeyArn } : {}),
    });

    new TerraformOutput(this, 'bootstrap_servers', { value: model.bootstrapServers, description: 'Client listener of every broker, host:port, comma-separated' });
    new TerraformOutput(this, 'client_security_group_id', { value: this.securityGroups.clients.id, description: 'Attach to applications that use Kafka' });
    new TerraformOutput(this, 'monitoring_security_group_id', { value: this.securityGroups.monitoring.id, description: 'Attach to Prometheus servers that scrape Kafka' });
    new TerraformOutput(this, 'broker_security_group_id', { value: this.securityGroups.brokers.id, description: 'Security group of the brokers' });
    new TerraformOutput(this, 'controller_security_group_id', { value: this.securityGroups.controllers.id, description: 'Security group of the controllers' });
    new TerraformOutput(this, 'dns_zone_id', { value: this.fleet.dnsZone.zoneId, description: 'Private Route53 zone of the Kafka nodes' });
    new TerraformOutput(this, 'node_role_arns', {
      value: { controller: this.fleet.roles.controller.arn, broker: this.fleet.roles.broker.arn },
      description: 'IAM roles of the Kafka controllers and brokers',
    });
    new TerraformOutput(this, 'replace_addresses', {
      value: Object.fromEntries(this.fleet.nodes.map(({ node, instance }) => [node.name, `aws_instance.${instance.friendlyUniqueId}`])),
      description: 'Terraform address of each node, for rolling replacement: terraform apply -replace=<address>',
    });
    new TerraformOutput(this, 'session_document_name', {
      value: this.fleet.sessionManager.documentName,
      description: 'Session document that logs to the encrypted transcript group: aws ssm start-session --target <instance> --document-name <this>',
    });
    new TerraformOutput(this, 'instance_ids', {
      value: Object.fromEntries(this.fleet.nodes.map(({ node, instance }) => [node.name, instance.id])),
      description: 'EC2 instance of each Kafka node (for Session Manager and rolling replacement)',
    });
  }
}
