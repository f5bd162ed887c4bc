import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import type { TerraformJson } from '../aws/support';

afterAll(removeTempDirs);

const root = makeTempDir('stacks-');
const reports = synthesize({ rootDir: root, environments });
const stackJson = (stack: string) => JSON.parse(readFileSync(join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TerraformJson;
const manifest = JSON.parse(readFileSync(join(root, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
const allStacks = reports.flatMap((report) => report.stacks);

describe('stacks per environment', () => {
  it('are <env>-network plus <env>-kafka for VMs and <env>-nodes for EKS', () => {
    expect(allStacks).toEqual(expect.arrayContaining(['dev-network', 'staging-network', 'staging-kafka', 'prod-network', 'prod-nodes']));
    expect(allStacks).not.toContain('dev-nodes'); // dev names no EKS cluster: its pods run on shared nodes
    expect(allStacks).not.toContain('prod-kafka');
  });

  it('declare their deployment order: runtime stacks after the network (and the secrets, when there are any)', () => {
    expect(manifest.stacks['staging-kafka'].dependencies).toContain('staging-network');
    expect(manifest.stacks['prod-nodes'].dependencies).toContain('prod-network');
    if (allStacks.includes('staging-secrets')) expect(manifest.stacks['staging-kafka'].dependencies).toContain('staging-secrets');
    expect(manifest.stacks['staging-network'].dependencies).toEqual([]);
  });

  it.each(allStacks)('%s keeps encrypted, S3-locked state under its own key', (stack) => {
    const backend = stackJson(stack).terraform!.backend!.s3;
    const env = stack.split('-')[0];
    expect(backend).toMatchObject({ bucket: 'acme-kafka-terraform-state', key: `${env}/${stack}.tfstate`, encrypt: true, use_lockfile: true });
  });

  it.each(allStacks)('%s requires a Terraform that has S3-native locking and write-only attributes (1.11)', (stack) => {
    expect((stackJson(stack).terraform as { required_version?: string }).required_version).toBe('>= 1.11.0');
  });

  it.each(allStacks)('%s tags every resource with the environment\'s tags', (stack) => {
    const [provider] = stackJson(stack).provider!.aws;
    expect(provider.default_tags[0].tags).toMatchObject({ 'kafka/environment': stack.split('-')[0], 'managed-by': 'kafka-typed-infra', team: 'platform' });
  });

  it('export what other stacks and teams compose with', () => {
    expect(Object.keys(stackJson('staging-network').output!)).toEqual(expect.arrayContaining(['vpc_id', 'private_subnet_ids', 'vpc_cidr']));
    const kafka = stackJson('staging-kafka').output!;
    expect(Object.keys(kafka)).toEqual(expect.arrayContaining(['bootstrap_servers', 'client_security_group_id', 'monitoring_security_group_id', 'broker_security_group_id', 'controller_security_group_id']));
    expect(kafka.bootstrap_servers.value).toBe(
      'kafka-broker-eu-central-1a-0.kafka.staging.internal:9092,kafka-broker-eu-central-1b-0.kafka.staging.internal:9092,kafka-broker-eu-central-1c-0.kafka.staging.internal:9092',
    );
    const addresses = kafka.replace_addresses.value as Record<string, string>;
    const instances = Object.keys(stackJson('staging-kafka').resource!.aws_instance);
    expect(Object.values(addresses).sort()).toEqual(instances.map((name) => `aws_instance.${name}`).sort());
    expect(Object.keys(stackJson('prod-nodes').output!)).toEqual(expect.arrayContaining(['node_group_names', 'node_role_arn']));
  });
});
