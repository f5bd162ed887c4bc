// The team's own cdktf app: its provider and stack with our AWS constructs inside, plus our per-environment stacks.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { renderJmxExporterConfig } from 'kafka-typed-infra';
import { KafkaBrokerFleet, KafkaNetwork, KafkaSecurityGroups } from 'kafka-typed-infra/aws';
import { addEnvironmentStacks } from 'kafka-typed-infra/stacks';
import { paymentsModel } from './cluster.js';

class PaymentsKafkaStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { region, availabilityZones, vpcCidr } = paymentsModel.spec.aws;
    new AwsProvider(this, 'aws', { region });
    const network = new KafkaNetwork(this, 'network', { name: 'payments-kafka', region, vpcCidr, availabilityZones });
    const securityGroups = new KafkaSecurityGroups(this, 'security-groups', {
      name: 'payments-kafka',
      vpcId: network.vpcId,
      clientPort: 9092,
      replicationPort: 9091,
      controllerPort: 9093,
      metricsPort: 9404,
      clientCidrs: paymentsModel.spec.aws.clientCidrs,
      httpsEgress: { cidrs: [network.vpcCidr], prefixListIds: [network.s3PrefixListId] },
    });
    const fleet = new KafkaBrokerFleet(this, 'fleet', {
      model: paymentsModel,
      vpcId: network.vpcId,
      subnetIds: Object.fromEntries(network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id])),
      controllerSecurityGroupIds: [securityGroups.controllers.id],
      brokerSecurityGroupIds: [securityGroups.brokers.id],
      jmxExporterConfig: renderJmxExporterConfig(paymentsModel.spec),
    });
    new TerraformOutput(this, 'bootstrap_servers', { value: paymentsModel.bootstrapServers });
    new TerraformOutput(this, 'dns_zone_id', { value: fleet.dnsZone.zoneId });
  }
}

const outdir = process.argv[2];
if (outdir === undefined) throw new Error('usage: node out/src/stack.js <outdir>');
const app = new App({ outdir });
new PaymentsKafkaStack(app, 'payments-own');
const stacks = addEnvironmentStacks(app, paymentsModel);
app.synth();
console.log(['payments-own', ...stacks.map((stack) => stack.node.id)].join(' '));
