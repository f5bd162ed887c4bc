/**
 * Option combinations the example environments do not exercise, and the constructs used alone in someone else's
 * stack: synthesized next to the examples so one `terraform validate` run covers them all.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from '../../constructs/aws/cdktf';
import { KafkaBrokerFleet } from '../../constructs/aws/kafka-broker-fleet';
import { KafkaNetwork } from '../../constructs/aws/kafka-network';
import { KafkaNodeGroups } from '../../constructs/aws/kafka-node-groups';
import { KafkaSecurityGroups } from '../../constructs/aws/kafka-security-groups';
import { renderJmxExporterConfig } from '../../constructs/kafka/monitoring/jmx-exporter-config';
import { kafkaNodeGroups } from '../../constructs/kafka/node-placement';
import type { EnvironmentSpec } from '../../constructs/kafka/environment-spec';
import { addEnvironmentStacks } from '../../stacks';
import { modelOf } from '../aws/support';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { aProdSpecWithUsers } from '../security/fixtures';

/** Option combinations the example environments do not exercise, each valid on its own. */
const variants: EnvironmentSpec[] = [
  withChange(aVmStagingSpec(), (draft) => {
    draft.name = 'vmoffline';
    draft.aws.egress = 'none';
    draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
    draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
    draft.runtime.certificateAuthority = { kind: 'private-ca', arn: 'arn:aws:acm-pca:eu-central-1:123456789012:certificate-authority/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' };
    draft.runtime.amiId = 'ami-0123456789abcdef0';
  }),
  withChange(aVmStagingSpec(), (draft) => {
    draft.name = 'vmprod';
    draft.tier = 'production';
    draft.kafka.brokers.size = { instanceType: 'r7g.xlarge' };
    draft.kafka.brokers.storage = { sizeGiB: 500, volumeType: 'io2', iops: 8000 };
    draft.runtime.kafkaDistribution = { sha512: 'cd'.repeat(64) };
    draft.aws.clientCidrs = ['172.16.0.0/12'];
  }),
  withChange(aThreeZoneProdSpec(), (draft) => {
    draft.name = 'eksown';
    draft.aws.eks = {
      clusterName: 'platform',
      kubernetesVersion: '1.33',
      subnetIds: { 'eu-west-1a': 'subnet-0123456789abcdef0', 'eu-west-1b': 'subnet-0123456789abcdef1', 'eu-west-1c': 'subnet-0123456789abcdef2' },
    };
  }),
  // Generated (ephemeral, write-only) and bring-your-own secrets side by side in <env>-secrets.
  withChange(aProdSpecWithUsers({ users: { orders: { password: 'generated', passwordVersion: 3 }, billing: { password: { awsSecret: 'team-billing/kafka' } } } }), (draft) => {
    draft.name = 'secretsmix';
  }),
];

/** The constructs used alone in someone else's stack (no EnvironmentStack, no backend), as docs/aws.md shows. */
function addStandaloneStack(app: App): string {
  const stack = new TerraformStack(app, 'standalone');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const model = modelOf(aVmStagingSpec());
  const net = new KafkaNetwork(stack, 'net', { name: 'orders-kafka', region: 'eu-central-1', vpcCidr: '10.50.0.0/16', availabilityZones: model.spec.aws.availabilityZones });
  const sgs = new KafkaSecurityGroups(stack, 'sgs', {
    name: 'orders-kafka',
    vpcId: net.vpcId,
    clientPort: 9092,
    replicationPort: 9091,
    controllerPort: 9093,
    metricsPort: 9404,
    httpsEgress: { cidrs: [net.vpcCidr], prefixListIds: [net.s3PrefixListId] },
  });
  const subnetIds = Object.fromEntries(net.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id]));
  new KafkaBrokerFleet(stack, 'fleet', {
    model,
    vpcId: net.vpcId,
    subnetIds,
    controllerSecurityGroupIds: [sgs.controllers.id],
    brokerSecurityGroupIds: [sgs.brokers.id],
    jmxExporterConfig: renderJmxExporterConfig(model.spec),
  });
  const eks = modelOf(withChange(aThreeZoneProdSpec(), (draft) => {
    draft.aws.eks = { clusterName: 'platform' };
  }));
  new KafkaNodeGroups(stack, 'nodes', {
    name: 'orders-kafka',
    clusterName: 'platform',
    groups: kafkaNodeGroups(eks.spec, eks.nodes, eks.sizing).filter((group) => group.zone.endsWith('a')).map((group) => ({ ...group, zone: 'eu-central-1a' })),
    subnetIds,
  });
  return stack.node.id;
}


/**
 * The stacks whose Terraform the variants change; their other stacks equal the examples' (already validated), and
 * every extra stack costs the validation seconds.
 */
const DISTINCT_STACKS = ['vmoffline-network', 'vmoffline-kafka', 'vmprod-kafka', 'eksown-nodes', 'secretsmix-secrets', 'standalone'];

/** Synthesizes the variants into `outdir` (cdktf layout) and returns the names of the stacks worth validating. */
export function synthesizeTerraformVariants(outdir: string): string[] {
  const app = new App({ outdir });
  const names = variants.flatMap((spec) => addEnvironmentStacks(app, modelOf(spec)).map((stack) => stack.node.id));
  names.push(addStandaloneStack(app));
  app.synth();
  const missing = DISTINCT_STACKS.filter((stack) => !names.includes(stack));
  if (missing.length > 0) throw new Error(`terraform variants no longer produce ${missing.join(', ')}`);
  return DISTINCT_STACKS;
}
