import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import { hclStringLiteral } from './terraform-expression';

export interface KafkaReconcileBundleProps {
  /** Globally unique bucket name (`reconcileBucketName(spec)`). */
  readonly bucketName: string;
  /** Object name below `prefix` -> content (`vmReconcileBundle(model)`): plan files and the script, no secrets. */
  readonly files: Readonly<Record<string, string>>;
  /** Key prefix of the objects, ending in `/`. */
  readonly prefix: string;
  /** Whether `terraform destroy` may empty the bucket. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * The VM controllers' reconcile bundle: a private S3 bucket (public access blocked, owner-enforced, encrypted,
 * TLS only) holding the reconcile script and its plan, which every controller reads at each timer run. Applying the
 * stack updates the objects; no instance is replaced for a new topic or quota.
 */
export class KafkaReconcileBundle extends Construct {
  readonly bucket: S3Bucket;
  /** `arn:...:s3:::<bucket>`. */
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: KafkaReconcileBundleProps) {
    super(scope, id);
    if (!props.prefix.endsWith('/')) throw new Error(`KafkaReconcileBundle ${id}: prefix = ${JSON.stringify(props.prefix)}, must end in "/"`);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    this.bucketArn = this.bucket.arn;
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyPlainHttp',
          effect: 'Deny',
          actions: ['s3:*'],
          principals: [{ type: '*', identifiers: ['*'] }],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', { bucket: this.bucket.id, policy: tlsOnly.json });
    for (const name of Object.keys(props.files).sort()) {
      new S3Object(this, `object-${name}`, {
        bucket: this.bucket.id,
        key: `${props.prefix}${name}`,
        // The script holds `${...}` shell expansions: an HCL literal keeps Terraform from reading them as templates.
        content: `\${${hclStringLiteral(props.files[name])}}`,
        contentType: 'text/plain; charset=utf-8',
      });
    }
  }
}
