import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { externalSecretsServiceAccountName } from '../../kafka/security/users';
import { securityLabels } from './security-labels';

/** What an {@link AwsSecretStore} needs: the spec (its region and `security.externalSecrets` settings). */
export interface AwsSecretStoreProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
}

/**
 * A namespaced External Secrets `SecretStore` for AWS Secrets Manager in the environment's region. Namespaced (not a
 * ClusterSecretStore) so only ExternalSecrets of the Kafka namespace can use its identity. With
 * `security.externalSecrets.serviceAccountRoleArn` (required in production) it authenticates as its own ServiceAccount
 * through IRSA; without, ESO's own credentials are used (e.g. an EKS Pod Identity association on the ESO controller),
 * which any namespace allowed to create a SecretStore would share.
 */
export class AwsSecretStore extends Construct {
  /** Name of the SecretStore, `<cluster>-aws-secrets-manager`, that the user ExternalSecrets reference. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AwsSecretStoreProps) {
    super(scope, id);
    const { spec } = props;
    const labels = securityLabels(spec, 'external-secrets');
    const roleArn = spec.security.externalSecrets.serviceAccountRoleArn;
    this.name = `${spec.kafka.clusterName}-aws-secrets-manager`;
    let auth: Record<string, unknown> | undefined;
    if (roleArn) {
      const serviceAccount = externalSecretsServiceAccountName(spec);
      new k8s.KubeServiceAccount(this, 'service-account', {
        metadata: { name: serviceAccount, labels, annotations: { 'eks.amazonaws.com/role-arn': roleArn } },
        // ESO requests tokens for it through the TokenRequest API; no pod ever runs as it.
        automountServiceAccountToken: false,
      });
      auth = { jwt: { serviceAccountRef: { name: serviceAccount } } };
    }
    new ApiObject(this, 'store', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: this.name, labels },
      spec: { provider: { aws: { service: 'SecretsManager', region: spec.aws.region, ...(auth ? { auth } : {}) } } },
    });
  }
}
