import type { ResolvedSpec } from '../spec/environment-spec';
import type { NodeRole } from './sizing';

/**
 * Names that tie the runtimes and the secret stores together. Each is decided here once, so the Certificate that
 * writes a Secret, the pod that mounts it, the Terraform that creates a Secrets Manager entry and the
 * ExternalSecret that reads it can never drift apart.
 */

/** Kubernetes Secret (written by cert-manager) with tls.crt, tls.key (PKCS#8) and ca.crt of a role's nodes. */
export function tlsSecretName(spec: ResolvedSpec, role: NodeRole): string {
  return `${spec.kafka.clusterName}-${role}-tls`;
}

/** Kubernetes Secret (written by External Secrets) holding the SCRAM password of `user` under the key `password`. */
export function userCredentialsSecretName(spec: ResolvedSpec, user: string): string {
  return `${spec.kafka.clusterName}-user-${user}`;
}

/** AWS Secrets Manager name of a secret of this cluster, e.g. `kafka/prod/kafka/users/admin`. */
export function awsSecretName(spec: ResolvedSpec, ...path: string[]): string {
  return ['kafka', spec.name, spec.kafka.clusterName, ...path].join('/');
}

/** The Service clients bootstrap from (built by `constructs/k8s/bootstrap-service.ts`). */
export function bootstrapServiceName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-bootstrap`;
}

/**
 * Alias (without `alias/`) of the KMS key `<env>-nodes` creates for the Kafka persistent volumes of an environment
 * with `aws.eks`; production StorageClasses use it unless `runtime.storageClass.kmsKeyArn` names another key.
 */
export function persistentVolumeKeyAlias(spec: ResolvedSpec): string {
  return `${spec.name}-${spec.kafka.clusterName}/persistent-volumes`;
}
