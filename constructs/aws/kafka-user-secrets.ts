import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';
import { TerraformStack } from './cdktf';
import { separatedKeyPolicy } from './kafka-kms-key';

/** One SCRAM user whose password lives in Secrets Manager. */
export interface UserSecretSpec {
  /** Kafka user name (a DNS label). */
  readonly user: string;
  /** Secrets Manager secret name (`awsSecretName(spec, 'users', user)`), or an existing secret's name/ARN. */
  readonly secretName: string;
  /** Create the secret with a password AWS generates; false = the secret exists and is only granted for reading. */
  readonly generate: boolean;
  /** Bumping it makes Terraform write a freshly generated password. */
  readonly passwordVersion: number;
}

/** What {@link KafkaUserSecrets} needs: a name prefix and the users whose password secrets to create or grant. */
export interface KafkaUserSecretsProps {
  /** Prefix of the KMS alias and the IAM policy name, e.g. `prod-kafka`. */
  readonly name: string;
  /** The users. */
  readonly users: readonly UserSecretSpec[];
  /** Length of generated passwords. @default 32 */
  readonly passwordLength?: number;
  /**
   * Days a destroyed secret stays recoverable (0 or 7–30). 0 deletes it at once; a longer window protects the passwords
   * from a mistaken destroy, but blocks re-creating a secret of the same name until it has passed.
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/**
 * One Secrets Manager secret per Kafka user, encrypted with a customer-managed KMS key, each holding a password AWS
 * generates. The password goes from the ephemeral `aws_secretsmanager_random_password` straight into the write-only
 * `secret_string_wo`, so it is never in this configuration, a plan or the Terraform state. Also an IAM policy that
 * reads exactly these secrets, for External Secrets (IRSA / Pod Identity) or the VMs' instance role.
 */
export class KafkaUserSecrets extends Construct {
  /** ARN of the customer-managed KMS key the generated secrets are encrypted with. */
  readonly kmsKeyArn: string;
  /** Secret ARN (or given name/ARN for existing secrets) per user. */
  readonly secretArns: Readonly<Record<string, string>>;
  /** ARN of the IAM policy that reads exactly these secrets and decrypts with the key only through Secrets Manager. */
  readonly readPolicyArn: string;

  constructor(scope: Construct, id: string, props: KafkaUserSecretsProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const passwordLength = props.passwordLength ?? 32;
    if (!Number.isInteger(passwordLength) || passwordLength < 24 || passwordLength > 4096) {
      throw new Error(`KafkaUserSecrets ${props.name}: passwordLength = ${passwordLength}, must be an integer 24–4096`);
    }
    const recoveryWindowInDays = props.recoveryWindowInDays ?? 30;
    if (!Number.isInteger(recoveryWindowInDays) || !(recoveryWindowInDays === 0 || (recoveryWindowInDays >= 7 && recoveryWindowInDays <= 30))) {
      throw new Error(`KafkaUserSecrets ${props.name}: recoveryWindowInDays = ${recoveryWindowInDays}, must be 0 (delete at once) or an integer 7–30`);
    }
    const account = new DataAwsCallerIdentity(this, 'account');
    const partition = new DataAwsPartition(this, 'partition');
    const region = new DataAwsRegion(this, 'region');
    // Administered by the account, used only through Secrets Manager: nobody decrypts a password blob directly.
    const keyPolicy = separatedKeyPolicy(this, 'key-policy', {
      account: { accountId: account.accountId, partition: partition.partition },
      region: region.name,
      usableThrough: ['secretsmanager'],
    });
    const key = new KmsKey(this, 'key', {
      description: `Kafka user passwords of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.name}-kafka-secrets`, targetKeyId: key.keyId });
    this.kmsKeyArn = key.arn;

    const arns: Record<string, string> = {};
    for (const user of props.users) {
      if (!user.generate) {
        arns[user.user] = user.secretName.startsWith('arn:')
          ? user.secretName
          : // Secrets Manager appends "-" and exactly six random characters; `-*` would match other secrets too.
            `arn:${partition.partition}:secretsmanager:${region.name}:${account.accountId}:secret:${user.secretName}-??????`;
        continue;
      }
      const secret = new SecretsmanagerSecret(this, `user-${user.user}`, {
        name: user.secretName,
        description: `SCRAM-SHA-512 password of Kafka user ${user.user}`,
        kmsKeyId: key.arn,
        // 0 makes the provider delete with ForceDeleteWithoutRecovery, so the name is free again at once.
        recoveryWindowInDays,
      });
      const ephemeralName = `${user.user.replace(/-/g, '_')}_password`;
      // cdktf 0.21 has no classes for ephemeral resources; the block is added to the JSON as Terraform expects it.
      stack.addOverride(`ephemeral.aws_secretsmanager_random_password.${ephemeralName}`, {
        password_length: passwordLength,
        // Alphanumeric only: the password goes into a JAAS line and a kafka-configs value unescaped.
        exclude_punctuation: true,
        require_each_included_type: true,
      });
      new SecretsmanagerSecretVersion(this, `user-${user.user}-password`, {
        secretId: secret.id,
        secretStringWo: `\${ephemeral.aws_secretsmanager_random_password.${ephemeralName}.random_password}`,
        secretStringWoVersion: user.passwordVersion,
      });
      arns[user.user] = secret.arn;
    }
    this.secretArns = arns;

    const readable = Object.keys(arns).sort().map((user) => arns[user]);
    const document = new DataAwsIamPolicyDocument(this, 'read', {
      statement: [
        ...(readable.length > 0
          ? [{ sid: 'ReadKafkaUserSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: readable }]
          : []),
        {
          sid: 'DecryptThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [key.arn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region.name}.amazonaws.com`] }],
        },
      ],
    });
    const policy = new IamPolicy(this, 'read-policy', {
      name: `${props.name}-kafka-secrets-read`,
      description: `Read the Kafka user passwords of ${props.name}`,
      policy: document.json,
    });
    this.readPolicyArn = policy.arn;
  }
}
