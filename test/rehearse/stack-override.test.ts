import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_GAPS, type StackConfig, describeEmulatorGaps } from '../../rehearse/emulator-gaps';
import { rehearsalOverride, unknownServiceTypes } from '../../rehearse/stack-override';
import { deploymentWaves, environmentStacks, readManifest } from '../../rehearse/stack-copies';
import { rehearsalEnvironment } from '../../rehearse/terraform';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

const endpoint = 'http://127.0.0.1:4566';
const root = makeTempDir('override-');
synthesize({ rootDir: root, environments });
const stackConfig = (stack: string) => JSON.parse(readFileSync(join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackConfig;
const manifest = readManifest(root);
const allStacks = Object.keys(manifest.stacks);

describe('the rehearsal-only override file', () => {
  it.each(allStacks)('%s: every resource type is served by an emulated service', (stack) => {
    expect(unknownServiceTypes(stackConfig(stack))).toEqual([]);
  });

  it.each(allStacks)('%s: the provider uses test credentials and no endpoints block (the environment names the emulator)', (stack) => {
    const provider = (rehearsalOverride(stackConfig(stack), endpoint).provider as { aws: Record<string, unknown>[] }).aws[0];
    expect(provider).toEqual({ access_key: 'test', secret_key: 'test', skip_credentials_validation: true, skip_metadata_api_check: true, skip_requesting_account_id: false });
  });

  it('Terraform runs with the emulator as every AWS service\'s endpoint, test credentials only and a dead proxy for the rest', () => {
    const env = rehearsalEnvironment(
      { PATH: '/usr/bin', AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_ENDPOINT_URL: 'https://real.example', AWS_ENDPOINT_URL_S3: 'https://s3.example', TF_LOG: 'trace', https_proxy: 'http://corp:3128' },
      '/tmp/terraform.rc',
      endpoint,
    );
    expect(env).toMatchObject({ PATH: '/usr/bin', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: endpoint, HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' });
    for (const dropped of ['AWS_PROFILE', 'AWS_ENDPOINT_URL_S3', 'TF_LOG', 'https_proxy']) expect(env).not.toHaveProperty(dropped);
  });

  it.each(allStacks)('%s: the S3 backend keeps its bucket, key, region, encryption and locking', (stack) => {
    const config = stackConfig(stack);
    const backend = ((rehearsalOverride(config, endpoint).terraform as { backend: { s3: Record<string, unknown> } }).backend.s3);
    expect(backend).toMatchObject({ ...config.terraform!.backend!.s3, endpoints: { s3: endpoint, sts: endpoint, iam: endpoint }, use_path_style: true });
  });

  it('rewrites every terraform_remote_state config whole, keeping what it reads', () => {
    const config = stackConfig('staging-kafka');
    const remote = (rehearsalOverride(config, endpoint).data as { terraform_remote_state: Record<string, { config: Record<string, unknown> }> }).terraform_remote_state;
    const original = config.data!.terraform_remote_state!;
    expect(Object.keys(remote).sort()).toEqual(Object.keys(original).sort());
    for (const [name, block] of Object.entries(remote)) {
      expect(block.config).toMatchObject({ ...original[name].config, endpoints: { s3: endpoint, sts: endpoint, iam: endpoint }, use_path_style: true });
    }
  });

  it('applies the listed emulator gaps to EC2 instances and nothing else, keeping their own ignore_changes', () => {
    const config = stackConfig('staging-kafka');
    const resources = rehearsalOverride(config, endpoint).resource as Record<string, Record<string, Record<string, unknown>>>;
    // The reconcile bundle's TLS-only bucket policy is the other listed gap in this stack (moto is served over http).
    expect(Object.keys(resources).sort()).toEqual(['aws_instance', 'aws_s3_bucket_policy']);
    expect(Object.values(resources.aws_s3_bucket_policy)).toEqual(Object.keys(config.resource!.aws_s3_bucket_policy).map(() => ({ count: 0 })));
    const instances = Object.keys(config.resource!.aws_instance);
    expect(Object.keys(resources.aws_instance).sort()).toEqual(instances.sort());
    for (const name of instances) {
      expect(resources.aws_instance[name]).toEqual({
        monitoring: false,
        lifecycle: { ignore_changes: ['ami', 'user_data_base64', 'associate_public_ip_address', 'vpc_security_group_ids'] },
      });
    }
    expect(rehearsalOverride(stackConfig('dev-network'), endpoint).resource).toBeUndefined();
  });

  it('refuses a resource type whose service it does not know, so no call can reach real AWS', () => {
    const config: StackConfig = { resource: { aws_sqs_queue: { q: {} } } };
    expect(() => rehearsalOverride(config, endpoint)).toThrow(/does not know which AWS service serves aws_sqs_queue/);
  });
});

describe('the emulator gap list', () => {
  it('says, for every entry, what the emulator does and what the rehearsal does about it', () => {
    for (const gap of EMULATOR_GAPS) {
      expect(gap.emulatorBehaviour.length).toBeGreaterThan(20);
      expect([gap.override, gap.toleratedDifference, gap.toleratedApplyError].filter(Boolean)).toHaveLength(1);
    }
    expect(new Set(EMULATOR_GAPS.map((gap) => gap.name)).size).toBe(EMULATOR_GAPS.length);
    expect(describeEmulatorGaps().split('\n')).toHaveLength(EMULATOR_GAPS.length);
  });
});

describe('deployment order', () => {
  it('applies independent stacks together and runtime stacks after what they read', () => {
    expect(deploymentWaves(manifest, environmentStacks(manifest, 'staging'))).toEqual([['staging-network', 'staging-secrets'], ['staging-kafka']]);
    expect(deploymentWaves(manifest, environmentStacks(manifest, 'prod'))).toEqual([['prod-network', 'prod-secrets'], ['prod-nodes']]);
    expect(deploymentWaves(manifest, environmentStacks(manifest, 'dev'))).toEqual([['dev-network']]);
  });

  it('names unknown environments and stacks', () => {
    expect(() => environmentStacks(manifest, 'qa')).toThrow(/no stack of environment qa/);
    expect(() => environmentStacks(manifest, 'prod', ['prod-kafka'])).toThrow(/unknown stack\(s\) prod-kafka of environment prod; known: /);
  });
});

describe('emulator gaps on the same resource type', () => {
  it('keep every attribute each of them ignores (EKS node groups: remote_access and tags)', () => {
    const config = stackConfig('prod-nodes');
    const groups = (rehearsalOverride(config, endpoint).resource as Record<string, Record<string, { lifecycle: { ignore_changes: string[] } }>>).aws_eks_node_group;
    expect(Object.keys(groups).length).toBe(Object.keys(config.resource!.aws_eks_node_group).length);
    for (const group of Object.values(groups)) expect(group.lifecycle.ignore_changes.sort()).toEqual(['remote_access', 'tags', 'tags_all']);
  });
});
