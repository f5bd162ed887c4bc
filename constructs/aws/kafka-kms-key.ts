import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

/** The account and partition the key lives in (Terraform references). */
export interface KeyAccount {
  /** AWS account id (12 digits), e.g. the `aws_caller_identity` data source's `account_id`. */
  readonly accountId: string;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`) that ARNs of the account are built with. */
  readonly partition: string;
  /** Region of the key. @default - not known to the caller */
  readonly region?: string;
}

/** What a {@link KafkaKmsKey} needs: what the key is for, its alias, and who may use it through which services. */
export interface KafkaKmsKeyProps {
  /** What the key protects; becomes the key's description. */
  readonly description: string;
  /** Alias without the `alias/` prefix, e.g. `kafka/prod/ebs`. */
  readonly alias: string;
  /**
   * Extra key-policy statements for AWS services that use the key on the account's behalf (CloudWatch Logs,
   * the Auto Scaling service role), built from the account id and partition.
   * @default - none: only IAM policies of the account grant use of the key
   */
  readonly serviceStatements?: (account: KeyAccount) => DataAwsIamPolicyDocumentStatement[];
  /**
   * AWS services (endpoint prefixes such as `ec2`, `secretsmanager`) through which principals of the account may use
   * the key, when their IAM policies allow it; never directly.
   * @default - none: only the service statements grant use
   */
  readonly usableThrough?: readonly string[];
  /** Days before a deleted key is gone for good. @default 30 */
  readonly deletionWindowInDays?: number;
}

/**
 * What administering a key allows: everything but using it. `kms:CreateGrant` is left out (a grant is use by another
 * name) and `kms:PutKeyPolicy` kept, so the account can always repair the policy (no lock-out).
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:Describe*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Get*',
  'kms:List*',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Update*',
];

/** What using a key for data allows; through a service, that service asks for a grant to act on the caller's behalf. */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/**
 * What {@link separatedKeyPolicy} needs: the key's account and region and the same use grants as `KafkaKmsKeyProps`.
 */
export interface SeparatedKeyPolicyProps {
  /** Account and partition whose IAM principals administer the key (the `root` principal of the account). */
  readonly account: KeyAccount;
  /** Region of the key (names the service endpoints of `kms:ViaService`). */
  readonly region: string;
  /** See `KafkaKmsKeyProps.usableThrough`. @default - none */
  readonly usableThrough?: readonly string[];
  /** See `KafkaKmsKeyProps.serviceStatements`. @default - none */
  readonly serviceStatements?: (account: KeyAccount) => DataAwsIamPolicyDocumentStatement[];
}

/** The key policy of `KafkaKmsKey`, for keys declared elsewhere (kept where they are, so no key is ever replaced). */
export function separatedKeyPolicy(scope: Construct, id: string, props: SeparatedKeyPolicyProps): DataAwsIamPolicyDocument {
  const { accountId, partition } = props.account;
  const account = [`arn:${partition}:iam::${accountId}:root`];
  const through = [...(props.usableThrough ?? [])].sort();
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        sid: 'AccountAdministersKeyThroughIam',
        principals: [{ type: 'AWS', identifiers: account }],
        actions: KEY_ADMINISTRATION_ACTIONS,
        resources: ['*'],
      },
      ...(through.length > 0
        ? [
            {
              sid: 'AccountUsesKeyOnlyThroughServices',
              principals: [{ type: 'AWS', identifiers: account }],
              actions: [...KEY_USE_ACTIONS, 'kms:CreateGrant'],
              resources: ['*'],
              condition: [
                { test: 'StringEquals', variable: 'kms:ViaService', values: through.map((service) => `${service}.${props.region}.amazonaws.com`) },
                { test: 'StringEquals', variable: 'kms:CallerAccount', values: [accountId] },
              ],
            },
          ]
        : []),
      ...(props.serviceStatements?.(props.account) ?? []),
    ],
  });
}

/**
 * A customer-managed KMS key with yearly automatic rotation. Its policy separates administration from use: the
 * account's IAM principals may administer the key (never encrypt or decrypt with it), and use it only through the
 * services in `usableThrough` (`kms:ViaService`, own account) or as the service statements allow.
 */
export class KafkaKmsKey extends Construct {
  /** The KMS key resource, with rotation on and the separated key policy. */
  readonly key: KmsKey;
  /** ARN of the key, as a Terraform reference: what encrypted resources and IAM policies name. */
  readonly keyArn: string;
  /** Account id the key lives in (a Terraform reference to `aws_caller_identity`). */
  readonly accountId: string;
  /** Partition the key lives in (a Terraform reference to `aws_partition`). */
  readonly partition: string;
  /** Region the key lives in (a Terraform reference to `aws_region`). */
  readonly region: string;

  constructor(scope: Construct, id: string, props: KafkaKmsKeyProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const partition = new DataAwsPartition(this, 'partition');
    const region = new DataAwsRegion(this, 'region');
    this.accountId = caller.accountId;
    this.partition = partition.partition;
    this.region = region.name;
    const policy = separatedKeyPolicy(this, 'policy', {
      account: { accountId: caller.accountId, partition: partition.partition, region: region.name },
      region: region.name,
      usableThrough: props.usableThrough,
      serviceStatements: props.serviceStatements,
    });
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: policy.json,
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }
}
