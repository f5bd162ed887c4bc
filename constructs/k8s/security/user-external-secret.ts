import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import type { KafkaUser } from '../../kafka/security/users';
import { securityLabels } from './security-labels';

/** What a {@link UserExternalSecret} needs: the spec, the user, the SecretStore and which password version to read. */
export interface UserExternalSecretProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** A SCRAM user (with an AWS secret and a Kubernetes Secret name). */
  readonly user: KafkaUser;
  /** The SecretStore to read from. */
  readonly secretStoreName: string;
  /**
   * Read this version stage instead of the current password, into `<secret>-previous`. The reconcile job uses the
   * admin's previous password to log in once after a rotation. @default - the current version (AWSCURRENT)
   */
  readonly versionStage?: 'AWSPREVIOUS';
}

/**
 * Copies one user's password from AWS Secrets Manager into the Kubernetes Secret `userCredentialsSecretName(user)`
 * under key `password`, refreshing it on `security.externalSecrets.refreshInterval` so a rotation reaches the
 * cluster. The Secret's value exists only in the cluster, never in this output.
 */
export class UserExternalSecret extends Construct {
  /** Name of the ExternalSecret and of the Kubernetes Secret it writes: the user's Secret, or `<secret>-previous`. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: UserExternalSecretProps) {
    super(scope, id);
    const { spec, user } = props;
    if (!user.awsSecret || !user.kubernetesSecret) throw new Error(`UserExternalSecret: user ${user.name} has no SCRAM password`);
    const labels = { ...securityLabels(spec, 'external-secrets'), 'kafka-typed-infra.io/user': user.name };
    this.secretName = props.versionStage ? `${user.kubernetesSecret}-previous` : user.kubernetesSecret;
    new ApiObject(this, 'external-secret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.secretName, labels },
      spec: {
        refreshInterval: spec.security.externalSecrets.refreshInterval,
        secretStoreRef: { kind: 'SecretStore', name: props.secretStoreName },
        target: {
          name: this.secretName,
          creationPolicy: 'Owner',
          // Current passwords: keep the Secret if it vanishes from AWS, so running clients stay connected.
          // AWSPREVIOUS exists only after a first rotation: with `Delete`, ESO treats the missing version as "no
          // secret" (Ready, reason SecretDeleted) instead of failing every refresh until then; the reconcile job
          // mounts that Secret as optional.
          deletionPolicy: props.versionStage ? 'Delete' : 'Retain',
          template: { type: 'Opaque', metadata: { labels } },
        },
        data: [
          {
            secretKey: 'password',
            remoteRef: {
              key: user.awsSecret,
              ...(user.awsSecretJsonKey ? { property: user.awsSecretJsonKey } : {}),
              ...(props.versionStage ? { version: props.versionStage } : {}),
            },
          },
        ],
      },
    });
  }
}
