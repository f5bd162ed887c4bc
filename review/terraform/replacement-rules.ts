/**
 * Which attribute changes make the `hashicorp/aws` provider (5.100.0) replace a resource instead of updating it in
 * place, for every resource type this project synthesizes. Taken from the provider's schemas (`ForceNew` /
 * `RequiresReplace`); the full rehearsal (test/rehearse/environments.test.ts, test/review/provider-predictions.ts)
 * checks the predictions for the review's mutation fixtures against a real `terraform plan`. A type missing here
 * is reported as "not predicted" rather than guessed.
 */

export interface ResourceTypeRules {
  /** Attribute paths (nested blocks as `block.attribute`) whose change forces replacement. */
  readonly replacedBy: readonly string[];
  /** The resource has `tags_all`, so a change of the provider's `default_tags` updates it in place. */
  readonly tagged: boolean;
  /** Computed attributes that change on an in-place update of anything but tags and description. */
  readonly changesOnUpdate?: readonly string[];
  /** In-place updates that stop the machine (EC2 applies them with a stop and a start). */
  readonly stopsOnUpdate?: readonly string[];
}

const rules = (replacedBy: readonly string[], tagged = true, extra: Partial<ResourceTypeRules> = {}): ResourceTypeRules => ({ replacedBy, tagged, ...extra });

export const REPLACEMENT_RULES: Readonly<Record<string, ResourceTypeRules>> = {
  aws_cloudwatch_log_group: rules(['name', 'name_prefix', 'log_group_class']),
  aws_default_security_group: rules(['vpc_id']),
  aws_ebs_volume: rules(['availability_zone', 'encrypted', 'kms_key_id', 'snapshot_id', 'multi_attach_enabled', 'outpost_arn']),
  aws_eks_addon: rules(['addon_name', 'cluster_name']),
  aws_eip: rules(['domain', 'address', 'network_border_group', 'public_ipv4_pool', 'customer_owned_ipv4_pool']),
  aws_eks_node_group: rules([
    'ami_type', 'capacity_type', 'cluster_name', 'disk_size', 'instance_types', 'node_group_name', 'node_group_name_prefix',
    'node_role_arn', 'remote_access', 'subnet_ids', 'launch_template.id', 'launch_template.name',
  ]),
  aws_flow_log: rules([
    'vpc_id', 'subnet_id', 'eni_id', 'transit_gateway_id', 'transit_gateway_attachment_id', 'iam_role_arn', 'log_destination',
    'log_destination_type', 'log_format', 'max_aggregation_interval', 'traffic_type', 'destination_options', 'deliver_cross_account_role',
  ]),
  aws_iam_instance_profile: rules(['name', 'name_prefix', 'path']),
  aws_iam_policy: rules(['name', 'name_prefix', 'path', 'description']),
  aws_iam_role: rules(['name', 'name_prefix', 'path']),
  aws_iam_role_policy: rules(['name', 'name_prefix', 'role'], false),
  aws_iam_role_policy_attachment: rules(['role', 'policy_arn'], false),
  aws_instance: rules(
    [
      'ami', 'availability_zone', 'subnet_id', 'associate_public_ip_address', 'private_ip', 'key_name', 'tenancy', 'placement_group',
      'host_id', 'ebs_block_device', 'ephemeral_block_device', 'network_interface', 'root_block_device.encrypted',
      'root_block_device.kms_key_id', 'security_groups', 'launch_template',
    ],
    true,
    { stopsOnUpdate: ['instance_type', 'ebs_optimized', 'user_data', 'user_data_base64'] },
  ),
  aws_internet_gateway: rules([]),
  aws_kms_alias: rules(['name', 'name_prefix'], false),
  aws_kms_key: rules(['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id']),
  aws_launch_template: rules(['name', 'name_prefix'], true, { changesOnUpdate: ['latest_version', 'default_version'] }),
  aws_nat_gateway: rules(['allocation_id', 'subnet_id', 'connectivity_type', 'private_ip']),
  aws_route: rules(['route_table_id', 'destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'], false),
  aws_route53_record: rules(['name', 'zone_id'], false),
  aws_route53_zone: rules(['name', 'delegation_set_id']),
  aws_route_table: rules(['vpc_id']),
  aws_route_table_association: rules(['subnet_id', 'gateway_id'], false),
  aws_s3_bucket: rules(['bucket', 'bucket_prefix', 'object_lock_enabled']),
  aws_s3_bucket_ownership_controls: rules(['bucket'], false),
  aws_s3_bucket_policy: rules(['bucket'], false),
  aws_s3_bucket_public_access_block: rules(['bucket'], false),
  aws_s3_bucket_server_side_encryption_configuration: rules(['bucket', 'expected_bucket_owner'], false),
  aws_s3_object: rules(['bucket', 'key']),
  aws_secretsmanager_secret: rules(['name', 'name_prefix']),
  aws_secretsmanager_secret_version: rules(['secret_id', 'secret_string', 'secret_binary'], false),
  aws_security_group: rules(['name', 'name_prefix', 'description', 'vpc_id']),
  aws_ssm_document: rules(['name']),
  aws_subnet: rules(['availability_zone', 'availability_zone_id', 'cidr_block', 'vpc_id', 'outpost_arn']),
  aws_volume_attachment: rules(['device_name', 'instance_id', 'volume_id'], false),
  aws_vpc: rules(['cidr_block', 'instance_tenancy', 'ipv4_ipam_pool_id', 'ipv4_netmask_length']),
  aws_vpc_endpoint: rules(['service_name', 'vpc_id', 'vpc_endpoint_type']),
  aws_vpc_security_group_egress_rule: rules(['security_group_id']),
  aws_vpc_security_group_ingress_rule: rules(['security_group_id']),
};

/** Strips list positions and name keys (`taint[0].key` → `taint.key`) so a path can be matched against the table. */
export function schemaPath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '').replace(/^\./, '');
}

/** Whether changing `path` (as reported by diffJson) of a `type` forces replacement; undefined for unknown types. */
export function forcesReplacement(type: string, path: string): boolean | undefined {
  const typeRules = REPLACEMENT_RULES[type];
  if (!typeRules) return undefined;
  const attribute = schemaPath(path);
  return typeRules.replacedBy.some((forced) => attribute === forced || attribute.startsWith(`${forced}.`));
}
