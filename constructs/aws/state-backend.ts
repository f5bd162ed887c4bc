import type { Construct } from 'constructs';
import { S3Backend, type TerraformStack } from './cdktf';

/** Where {@link useS3StateBackend} keeps a stack's Terraform state: bucket, object key, region and encryption key. */
export interface StateBackendProps {
  /** Bucket holding the state; versioned and encrypted, created outside this project. */
  readonly bucket: string;
  /** Object key of this stack's state, unique per stack. */
  readonly key: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Customer-managed KMS key encrypting the state objects. @default - the bucket's default encryption */
  readonly kmsKeyArn?: string;
}

/**
 * Remote state in S3, encrypted, with S3-native locking (`use_lockfile`, Terraform ≥ 1.10), so no DynamoDB
 * table is needed. cdktf 0.21's S3Backend predates `use_lockfile`, hence the override.
 */
export function useS3StateBackend(stack: TerraformStack & Construct, props: StateBackendProps): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: props.key,
    region: props.region,
    encrypt: true,
    ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
  });
  backend.addOverride('use_lockfile', true);
  return backend;
}
