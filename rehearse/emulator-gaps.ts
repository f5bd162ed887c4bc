/**
 * Every place where the rehearsal knowingly departs from what real AWS would do, because the emulator (moto 5.2.1)
 * does not behave like AWS there. This is the ONE list: an override written into the rehearsal-only override file,
 * or a plan difference tolerated in the converge and update checks. Any difference not explained here fails the
 * rehearsal. The rehearsal summary prints the list.
 */

/** The parts of a synthesized `cdk.tf.json` the rehearsal reads. */
export interface StackConfig {
  terraform?: { backend?: { s3?: Record<string, unknown> } };
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>> & {
    terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown>; workspace?: string }>;
  };
  ephemeral?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
}

export interface EmulatorGap {
  /** Short name, printed in the summary. */
  readonly name: string;
  /** What the emulator does differently from AWS. */
  readonly emulatorBehaviour: string;
  /**
   * Written into the override file for every resource of this type (real AWS needs no such change): `describe` says
   * what, `attributes` computes the override from the synthesized resource.
   */
  readonly override?: {
    readonly resourceType: string;
    readonly describe: string;
    readonly attributes: (resource: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  };
  /**
   * In a plan after an apply, an in-place update of only these top-level attributes of this resource type is the
   * emulator's artifact, not ours: it is tolerated. (An artifact that makes Terraform replace a resource cannot be
   * tolerated in the plan, whose unknown values then spread to everything that references the resource: it is an
   * override instead.)
   */
  readonly toleratedDifference?: { readonly resourceType: string; readonly attributes: readonly string[] };
  /**
   * In the update round, an apply error of this resource type matching `message` is the emulator's: the checked plan
   * stands, and the rehearsal goes on to the destroy.
   */
  readonly toleratedApplyError?: { readonly resourceType: string; readonly message: RegExp };
}

/** `lifecycle.ignore_changes` of a synthesized resource plus `more` (an override replaces the list whole). */
function ignoringAlso(resource: Readonly<Record<string, unknown>>, more: readonly string[]): Record<string, unknown> {
  const lifecycle = (resource.lifecycle ?? {}) as { ignore_changes?: string[] | string };
  const current = Array.isArray(lifecycle.ignore_changes) ? lifecycle.ignore_changes : [];
  return { lifecycle: { ignore_changes: [...new Set([...current, ...more])] } };
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    name: 'eks-addons',
    emulatorBehaviour: 'EKS add-ons are not implemented: CreateAddon answers 404 (the vpc-cni add-on that turns on NetworkPolicy enforcement cannot be created)',
    override: { resourceType: 'aws_eks_addon', describe: 'count = 0 (the add-on is not created in the rehearsal)', attributes: () => ({ count: 0 }) },
  },
  {
    name: 's3-tls-only-policy-over-http',
    emulatorBehaviour:
      'the emulator is served over plain http and evaluates bucket policies: a TLS-only policy (deny when aws:SecureTransport is false) denies every request the rehearsal makes, where real AWS sees https',
    override: {
      resourceType: 'aws_s3_bucket_policy',
      describe: 'count = 0 (the TLS-only policy is not applied in the rehearsal)',
      attributes: () => ({ count: 0 }),
    },
  },
  {
    name: 'ec2-detailed-monitoring',
    emulatorBehaviour: 'EC2 MonitorInstances is not implemented: creating an instance with monitoring = true fails',
    override: { resourceType: 'aws_instance', describe: 'monitoring = false', attributes: () => ({ monitoring: false }) },
  },
  {
    name: 'ec2-instance-network-interface',
    emulatorBehaviour:
      'DescribeInstances returns the instance with a public-IP association and without its VPC security groups, so the ' +
      'next plan replaces every instance (associate_public_ip_address forces a new one) and re-adds its groups',
    override: {
      resourceType: 'aws_instance',
      describe: 'lifecycle.ignore_changes += associate_public_ip_address, vpc_security_group_ids',
      attributes: (resource) => ignoringAlso(resource, ['associate_public_ip_address', 'vpc_security_group_ids']),
    },
  },
  {
    name: 'eks-node-group-remote-access',
    emulatorBehaviour:
      'EKS node groups are read back with an invented remote_access block (no SSH key was configured), which forces the ' +
      'next plan to replace every node group',
    override: {
      resourceType: 'aws_eks_node_group',
      describe: 'lifecycle.ignore_changes += remote_access',
      attributes: (resource) => ignoringAlso(resource, ['remote_access']),
    },
  },
  {
    name: 'eks-node-group-tagging',
    emulatorBehaviour: 'EKS TagResource tags clusters only: tagging a node group (a tag change on an existing one) fails with NotFound',
    override: {
      resourceType: 'aws_eks_node_group',
      describe: 'lifecycle.ignore_changes += tags, tags_all (new node groups are still created with their tags)',
      attributes: (resource) => ignoringAlso(resource, ['tags', 'tags_all']),
    },
  },
  {
    name: 'launch-template-tag-specifications',
    emulatorBehaviour:
      'a launch template is read back with the tags of the launch template itself (provider default tags) added to its ' +
      'tag_specifications, so the next plan writes a new version and, through latest_version, updates every node group',
    override: {
      resourceType: 'aws_launch_template',
      describe: 'lifecycle.ignore_changes += tag_specifications',
      attributes: (resource) => ignoringAlso(resource, ['tag_specifications']),
    },
  },
  {
    name: 'eks-describe-update',
    emulatorBehaviour:
      'EKS DescribeUpdate is not implemented: UpdateNodegroupConfig is accepted (the node group grows), but the provider ' +
      'cannot wait for the update to finish and reports an error',
    toleratedApplyError: { resourceType: 'aws_eks_node_group', message: /DescribeUpdate, https response error StatusCode: 404/ },
  },
  {
    name: 'eks-node-group-update-config',
    emulatorBehaviour: 'CreateNodegroup ignores updateConfig, so node groups are read back without max_unavailable',
    toleratedDifference: { resourceType: 'aws_eks_node_group', attributes: ['update_config'] },
  },
  {
    name: 'security-group-ingress-rule-description',
    emulatorBehaviour: 'security group ingress rules that reference a group or a prefix list are read back without their description',
    toleratedDifference: { resourceType: 'aws_vpc_security_group_ingress_rule', attributes: ['description'] },
  },
  {
    name: 'security-group-egress-rule-description',
    emulatorBehaviour: 'security group egress rules are read back without their description',
    toleratedDifference: { resourceType: 'aws_vpc_security_group_egress_rule', attributes: ['description'] },
  },
];

/** The gap that explains an apply error of a resource at `address`, if any. */
export function gapExplainingError(address: string, text: string): EmulatorGap | undefined {
  const type = address.replace(/^(module\.[^.]+\.)*/, '').split('.')[0];
  return EMULATOR_GAPS.find((gap) => gap.toleratedApplyError?.resourceType === type && gap.toleratedApplyError.message.test(text));
}

/** The gap that explains a change of `attribute` on a resource of `resourceType`, if any. */
export function gapExplaining(resourceType: string, attribute: string): EmulatorGap | undefined {
  return EMULATOR_GAPS.find((gap) => gap.toleratedDifference?.resourceType === resourceType && gap.toleratedDifference.attributes.includes(attribute));
}

/** The list as the rehearsal summary prints it. */
export function describeEmulatorGaps(): string {
  return EMULATOR_GAPS.map((gap) => {
    const what = gap.override
      ? `override ${gap.override.resourceType} ${gap.override.describe}`
      : gap.toleratedApplyError
        ? `tolerated update-round apply error of ${gap.toleratedApplyError.resourceType} matching ${gap.toleratedApplyError.message}`
        : `tolerated plan difference ${gap.toleratedDifference!.resourceType}.{${gap.toleratedDifference!.attributes.join(', ')}}`;
    return `  - ${gap.name}: ${what} (${gap.emulatorBehaviour})`;
  }).join('\n');
}
