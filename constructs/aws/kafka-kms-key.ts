import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

/** The account and partition the key lives in (Terraform references). */
export interface KeyAccount {
  readonly accountId: string;
  readonly partition: string;
}

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
  /** Days before a deleted key is gone for good. @default 30 */
  readonly deletionWindowInDays?: number;
}

/**
 * A customer-managed KMS key with yearly automatic rotation. The key policy delegates to IAM (the account root
 * statement, as AWS's default policy does), so access is granted by IAM policies, plus any service statements given.
 */
export class KafkaKmsKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly accountId: string;
  readonly partition: string;

  constructor(scope: Construct, id: string, props: KafkaKmsKeyProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const partition = new DataAwsPartition(this, 'partition');
    this.accountId = caller.accountId;
    this.partition = partition.partition;
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        {
          sid: 'AccountAdministersKeyThroughIam',
          principals: [{ type: 'AWS', identifiers: [`arn:${partition.partition}:iam::${caller.accountId}:root`] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.serviceStatements?.({ accountId: caller.accountId, partition: partition.partition }) ?? []),
      ],
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
