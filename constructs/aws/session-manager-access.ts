import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { Construct } from 'constructs';
import { type KeyAccount, KafkaKmsKey } from './kafka-kms-key';

export interface SessionManagerAccessProps {
  /** Name prefix of the policy, log group, key alias and session document, e.g. `prod-kafka`. */
  readonly name: string;
  /** Names of the IAM roles of the instances operators connect to. */
  readonly roleNames: readonly string[];
  /** Days session transcripts are kept. @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Further log groups of the same nodes that CloudWatch Logs may encrypt with the transcript key, each admitted by
   * its own key-policy statement scoped to that group (the nodes' shipped logs), so the nodes' logs share one key.
   * @default [] - the key serves the transcript group only
   */
  readonly sharedKeyLogGroups?: readonly { readonly sid: string; readonly name: string }[];
}

/**
 * Session Manager instead of SSH, with less than `AmazonSSMManagedInstanceCore`: that policy also grants
 * `ssm:GetParameter*` on every parameter of the account, which a Kafka node has no use for. Here the instance may only
 * register with SSM, open the session channels, and write session transcripts to a KMS-encrypted log group, through a
 * session document (`<name>-sessions`) that turns logging on: `aws ssm start-session --target <instance>
 * --document-name <name>-sessions`.
 */
export class SessionManagerAccess extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly logKey: KafkaKmsKey;
  readonly policy: IamPolicy;
  /** The session document operators start sessions with. */
  readonly documentName: string;
  /** The policy's attachment to each role, for `dependsOn`. */
  readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: SessionManagerAccessProps) {
    super(scope, id);
    const logGroupName = `/aws/ssm/${props.name}/sessions`;
    const shared = props.sharedKeyLogGroups ?? [];
    // CloudWatch Logs encrypts with the key itself, each statement scoped to one log group by encryption context.
    const logsMayUseKeyFor = (sid: string, group: string) => ({ accountId, partition, region }: KeyAccount) => ({
      sid,
      principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      condition: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [`arn:${partition}:logs:${region}:${accountId}:log-group:${group}`] }],
    });
    const grants = [logsMayUseKeyFor('CloudWatchLogsUsesKeyForSessionLogGroup', logGroupName), ...shared.map((group) => logsMayUseKeyFor(group.sid, group.name))];
    this.logKey = new KafkaKmsKey(this, 'log-key', {
      description: shared.length > 0 ? `Encrypts the Session Manager transcripts and node logs of ${props.name}` : `Encrypts the Session Manager transcripts of ${props.name}`,
      alias: `${props.name}/session-logs`,
      serviceStatements: (account) => grants.map((grant) => grant(account)),
    });
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: this.logKey.keyArn,
    });
    this.documentName = `${props.name}-sessions`;
    new SsmDocument(this, 'document', {
      name: this.documentName,
      documentType: 'Session',
      documentFormat: 'JSON',
      content: JSON.stringify({
        schemaVersion: '1.0',
        description: `Sessions on the Kafka nodes of ${props.name}, transcribed to ${logGroupName}`,
        sessionType: 'Standard_Stream',
        inputs: {
          cloudWatchLogGroupName: logGroupName,
          // The agent refuses to start a session if the group is not encrypted.
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          idleSessionTimeout: '20',
          runAsEnabled: false,
        },
      }),
    });
    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        { sid: 'RegisterWithSsm', actions: ['ssm:UpdateInstanceInformation'], resources: ['*'] },
        {
          sid: 'OpenSessionChannels',
          actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
          resources: ['*'],
        },
        { sid: 'WriteSessionTranscripts', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
        // The agent checks the group's encryption before it streams; describing log groups reveals no log data.
        { sid: 'CheckTranscriptEncryption', actions: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams'], resources: ['*'] },
      ],
    });
    this.policy = new IamPolicy(this, 'policy', {
      name: `${props.name}-session-manager`,
      description: `Session Manager on the Kafka nodes of ${props.name}, without parameter reads`,
      policy: document.json,
    });
    this.attachments = props.roleNames.map(
      (roleName, index) => new IamRolePolicyAttachment(this, `attachment-${index}`, { role: roleName, policyArn: this.policy.arn }),
    );
  }
}
