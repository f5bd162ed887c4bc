/**
 * Option combinations the example environments do not exercise, and the constructs used alone in someone else's
 * stack: synthesized next to the examples so one `terraform validate` run covers them all.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OrdersKafkaStack } from '../../examples/vm-cluster-in-your-own-stack';
import { App, TerraformStack } from '../../constructs/aws/cdktf';
import { KafkaNodeGroups } from '../../constructs/aws/kafka-node-groups';
import { kafkaNodeGroups } from '../../constructs/kafka/model/placement';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
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
    draft.runtime.artifactMirror = { bucket: 'acme-artifacts', prefix: 'kafka/4.1.1' };
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

/**
 * The constructs used alone in someone else's stack (no EnvironmentStack, no backend), as docs/aws.md shows: EKS node
 * groups here; network, security groups and the EC2 fleet in examples/vm-cluster-in-your-own-stack.ts.
 */
function addStandaloneStack(app: App): string {
  const stack = new TerraformStack(app, 'standalone');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const subnetIds = { 'eu-central-1a': 'subnet-0123456789abcdef0' };
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
const DISTINCT_STACKS = ['vmoffline-network', 'vmoffline-kafka', 'vmprod-kafka', 'eksown-nodes', 'secretsmix-secrets', 'standalone', 'example-orders'];

/** Synthesizes the variants into `outdir` (cdktf layout) and returns the names of the stacks worth validating. */
export function synthesizeTerraformVariants(outdir: string): string[] {
  const app = new App({ outdir });
  const names = variants.flatMap((spec) => addEnvironmentStacks(app, modelOf(spec)).map((stack) => stack.node.id));
  names.push(addStandaloneStack(app));
  names.push(new OrdersKafkaStack(app, 'example-orders').node.id);
  app.synth();
  const missing = DISTINCT_STACKS.filter((stack) => !names.includes(stack));
  if (missing.length > 0) throw new Error(`terraform variants no longer produce ${missing.join(', ')}`);
  return DISTINCT_STACKS;
}
