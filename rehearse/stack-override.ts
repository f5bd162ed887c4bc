/**
 * The rehearsal-only Terraform override file (`override.tf.json`) written beside an unchanged copy of a synthesized
 * `cdk.tf.json`. Terraform merges it itself, so what is applied is the synthesized configuration with exactly these
 * differences: the provider uses the emulator's test credentials, the S3 backend and every `terraform_remote_state`
 * talk to the emulator, plus the resource overrides named in the emulator-gap list. The provider finds the emulator
 * through `AWS_ENDPOINT_URL` in Terraform's environment (rehearse/terraform.ts), not an `endpoints` block: the
 * provider validates that block (a set of ~300 attributes) for ~6 s of CPU, twice per command.
 */
import { EMULATOR_GAPS, type StackConfig } from './emulator-gaps';

/** AWS services the stacks call (all of them emulated by moto), by the provider's names for them. */
export const EMULATED_SERVICES = ['autoscaling', 'ec2', 'eks', 'iam', 'kms', 'logs', 'route53', 's3', 'secretsmanager', 'ssm', 'sts'] as const;

/**
 * Which service each resource and data source type is served by. A type missing here fails the rehearsal before
 * Terraform runs, so a new resource can never silently call an AWS endpoint that is not the emulator's.
 */
const SERVICE_OF_TYPE: Readonly<Record<string, (typeof EMULATED_SERVICES)[number] | 'none'>> = {
  aws_caller_identity: 'sts',
  aws_iam_policy_document: 'none',
  aws_partition: 'none',
  aws_region: 'none',
  aws_ssm_parameter: 'ssm',
  aws_secretsmanager_random_password: 'secretsmanager',
  aws_cloudwatch_log_group: 'logs',
  aws_default_security_group: 'ec2',
  aws_ebs_volume: 'ec2',
  aws_eip: 'ec2',
  aws_eks_node_group: 'eks',
  aws_eks_cluster: 'eks',
  aws_eks_addon: 'eks',
  aws_iam_openid_connect_provider: 'iam',
  aws_s3_bucket: 's3',
  aws_s3_bucket_ownership_controls: 's3',
  aws_s3_bucket_policy: 's3',
  aws_s3_bucket_public_access_block: 's3',
  aws_s3_bucket_server_side_encryption_configuration: 's3',
  aws_s3_object: 's3',
  aws_ssm_document: 'ssm',
  aws_flow_log: 'ec2',
  aws_iam_instance_profile: 'iam',
  aws_iam_policy: 'iam',
  aws_iam_role: 'iam',
  aws_iam_role_policy: 'iam',
  aws_iam_role_policy_attachment: 'iam',
  aws_instance: 'ec2',
  aws_internet_gateway: 'ec2',
  aws_kms_alias: 'kms',
  aws_kms_key: 'kms',
  aws_launch_template: 'ec2',
  aws_nat_gateway: 'ec2',
  aws_route: 'ec2',
  aws_route53_record: 'route53',
  aws_route53_zone: 'route53',
  aws_route53_zone_association: 'route53',
  aws_route_table: 'ec2',
  aws_route_table_association: 'ec2',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_secretsmanager_secret_version: 'secretsmanager',
  aws_security_group: 'ec2',
  aws_subnet: 'ec2',
  aws_volume_attachment: 'ec2',
  aws_vpc: 'ec2',
  aws_vpc_endpoint: 'ec2',
  aws_vpc_security_group_egress_rule: 'ec2',
  aws_vpc_security_group_ingress_rule: 'ec2',
  terraform_remote_state: 's3',
};

/** Every resource and data source type the rehearsal deploys (the provider schema Terraform needs, no more). */
export const REHEARSED_TYPES: ReadonlySet<string> = new Set(Object.keys(SERVICE_OF_TYPE));

/** Test credentials moto accepts; never real ones. */
export const EMULATOR_CREDENTIALS = { access_key: 'test', secret_key: 'test' } as const;

/** Every type of a stack that the rehearsal does not know the service of (empty = safe to run). */
export function unknownServiceTypes(config: StackConfig): string[] {
  const types = (['resource', 'data', 'ephemeral'] as const).flatMap((kind) => Object.keys(config[kind] ?? {}));
  return [...new Set(types.filter((type) => !(type in SERVICE_OF_TYPE)))].sort();
}

function s3Connection(endpoint: string): Record<string, unknown> {
  return {
    endpoints: { s3: endpoint, sts: endpoint, iam: endpoint },
    use_path_style: true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    ...EMULATOR_CREDENTIALS,
  };
}

/** The override file for one stack, given its synthesized configuration and the emulator's endpoint. */
export function rehearsalOverride(config: StackConfig, endpoint: string): Record<string, unknown> {
  const unknown = unknownServiceTypes(config);
  if (unknown.length > 0) {
    throw new Error(
      `the rehearsal does not know which AWS service serves ${unknown.join(', ')}: add it to SERVICE_OF_TYPE in rehearse/stack-override.ts ` +
        '(and check that moto emulates it) so no call can leave the emulator',
    );
  }
  const override: Record<string, unknown> = {
    provider: { aws: [{ ...EMULATOR_CREDENTIALS, skip_credentials_validation: true, skip_metadata_api_check: true, skip_requesting_account_id: false }] },
  };
  const backend = config.terraform?.backend?.s3;
  if (backend) {
    // A backend block in an override file replaces the original one whole: keep bucket, key, region and locking.
    override.terraform = { backend: { s3: { ...backend, ...s3Connection(endpoint) } } };
  }
  const remoteStates = config.data?.terraform_remote_state ?? {};
  if (Object.keys(remoteStates).length > 0) {
    override.data = {
      terraform_remote_state: Object.fromEntries(
        Object.entries(remoteStates).map(([name, block]) => {
          if (block.backend !== 's3') throw new Error(`terraform_remote_state.${name} uses backend "${block.backend}"; the rehearsal emulates only s3`);
          // `config` is one attribute, so the override replaces it whole.
          return [name, { config: { ...block.config, ...s3Connection(endpoint) } }];
        }),
      ),
    };
  }
  const resources: Record<string, Record<string, unknown>> = {};
  for (const gap of EMULATOR_GAPS) {
    if (!gap.override) continue;
    for (const [name, resource] of Object.entries(config.resource?.[gap.override.resourceType] ?? {})) {
      const byName = (resources[gap.override.resourceType] ??= {});
      const previous = (byName[name] ?? {}) as Record<string, unknown>;
      const attributes = gap.override.attributes(resource);
      // Two gaps may both touch the lifecycle block: merge it argument by argument, as Terraform does, and keep every
      // attribute either of them ignores.
      const before = (previous.lifecycle ?? {}) as { ignore_changes?: string[] };
      const added = (attributes.lifecycle ?? {}) as { ignore_changes?: string[] };
      const lifecycle: Record<string, unknown> = { ...before, ...added };
      if (before.ignore_changes && added.ignore_changes) lifecycle.ignore_changes = [...new Set([...before.ignore_changes, ...added.ignore_changes])];
      byName[name] = { ...previous, ...attributes, ...(Object.keys(lifecycle).length > 0 ? { lifecycle } : {}) };
    }
  }
  if (Object.keys(resources).length > 0) override.resource = resources;
  return override;
}
