import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { TerraformStack } from '../constructs/aws/cdktf';
import { useS3StateBackend } from '../constructs/aws/state-backend';
import type { ResolvedSpec } from '../constructs/kafka/spec/environment-spec';

/** The oldest Terraform the stacks work with. */
export const MINIMUM_TERRAFORM_VERSION = '>= 1.11.0';

/** The tags of everything an environment creates: its own, plus which environment and cluster, and who manages it. */
export function environmentTags(spec: ResolvedSpec): Record<string, string> {
  return { ...spec.tags, 'kafka/environment': spec.name, 'kafka/cluster': spec.kafka.clusterName, 'managed-by': 'kafka-typed-infra' };
}

/**
 * Base of every stack of an environment: named `<env>-<part>`, with its own state key, the AWS provider
 * pinned to the environment's region, and the environment's tags on every resource.
 */
export class EnvironmentStack extends TerraformStack {
  /** The environment this stack belongs to, validated and with every default filled in. */
  readonly spec: ResolvedSpec;

  constructor(scope: Construct, spec: ResolvedSpec, part: string) {
    const stackName = `${spec.name}-${part}`;
    super(scope, stackName);
    this.spec = spec;
    new AwsProvider(this, 'aws', {
      region: spec.aws.region,
      defaultTags: [{ tags: environmentTags(spec) }],
    });
    // S3-native locking (use_lockfile) and write-only attributes for generated passwords need Terraform 1.11;
    // an older CLI must stop with this message, not half-apply.
    this.addOverride('terraform.required_version', MINIMUM_TERRAFORM_VERSION);
    useS3StateBackend(this, {
      bucket: spec.terraformState.bucket,
      region: spec.terraformState.region,
      ...(spec.terraformState.kmsKeyArn ? { kmsKeyArn: spec.terraformState.kmsKeyArn } : {}),
      key: `${spec.terraformState.keyPrefix ?? spec.name}/${stackName}.tfstate`,
    });
  }
}
