import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { Fn, Op } from './cdktf';

export interface ExternalSecretsRoleProps {
  /** ARN of the role to create (`security.externalSecrets.serviceAccountRoleArn`); its account must be the deploying one. */
  readonly roleArn: string;
  /** The EKS cluster whose OIDC provider (registered in IAM) vouches for the ServiceAccount. */
  readonly clusterName: string;
  /** Namespace and name of the only ServiceAccount that may assume the role. */
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** Policy to attach: the `<env>-secrets` stack's read policy. */
  readonly readPolicyArn: string;
}

/** The account and role name of an IAM role ARN. */
export function parseRoleArn(arn: string): { account: string; name: string } {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  if (!match) throw new Error(`ExternalSecretsRole: ${arn} is not an IAM role ARN`);
  return { account: match[1], name: match[2] };
}

/**
 * The IAM role the External Secrets SecretStore of one Kafka namespace assumes through IRSA: only tokens the EKS
 * cluster issued for exactly that ServiceAccount, with audience `sts.amazonaws.com`, may assume it, and it can do no
 * more than read the cluster's user secrets.
 */
export class ExternalSecretsRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ExternalSecretsRoleProps) {
    super(scope, id);
    const { account, name } = parseRoleArn(props.roleArn);
    const path = props.roleArn.slice(props.roleArn.indexOf(':role') + ':role'.length, props.roleArn.length - name.length);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const cluster = new DataAwsEksCluster(this, 'cluster', { name: props.clusterName });
    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    const provider = new DataAwsIamOpenidConnectProvider(this, 'oidc-provider', { url: issuerUrl });
    const issuer = Fn.replace(issuerUrl, 'https://', '');
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [provider.arn] }],
          condition: [
            { test: 'StringEquals', variable: `${issuer}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccountName}`] },
            { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name,
      path,
      description: `External Secrets of namespace ${props.namespace}: reads the Kafka user passwords`,
      assumeRolePolicy: trust.json,
      lifecycle: {
        precondition: [
          {
            condition: Op.eq(caller.accountId, account),
            errorMessage: `security.externalSecrets.serviceAccountRoleArn names account ${account}, but this stack deploys to another account`,
          },
        ],
      },
    });
    new IamRolePolicyAttachment(this, 'read-policy', { role: this.role.name, policyArn: props.readPolicyArn });
  }
}
