import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ADMIN_USER, type ClusterModel } from '../constructs/kafka/model/cluster-model';
import { caSourceSecret, clientCertificates, nodeCertificates, usesClientCertificates } from '../constructs/kafka/security/certificates';
import { reconcileEnabled } from '../constructs/kafka/security/reconcile-script';
import { scramUsers, usesScram } from '../constructs/kafka/security/users';
import { AclReconcileJob } from '../constructs/k8s/security/acl-reconcile-job';
import { AdminClientCertificate } from '../constructs/k8s/security/admin-client-certificate';
import { AwsSecretStore } from '../constructs/k8s/security/aws-secret-store';
import { CaTrustBundle } from '../constructs/k8s/security/ca-trust-bundle';
import { ClientCertificateAuthority } from '../constructs/k8s/security/client-certificate-authority';
import { ClusterCertificateAuthority } from '../constructs/k8s/security/cluster-certificate-authority';
import { KafkaNetworkPolicies } from '../constructs/k8s/security/kafka-network-policies';
import { NodeCertificate } from '../constructs/k8s/security/node-certificate';
import { UserClientCertificate } from '../constructs/k8s/security/user-client-certificate';
import { UserExternalSecret } from '../constructs/k8s/security/user-external-secret';
import { KafkaDrainJob } from '../constructs/k8s/operations/kafka-drain-job';
import { KafkaRoller } from '../constructs/k8s/operations/kafka-roller';

/**
 * Security of one Kubernetes environment: the certificate chain, node and client certificates (cert-manager), the CA
 * published to applications (trust-manager), user passwords from AWS Secrets Manager (External Secrets), the
 * reconcile job for users and ACLs, the roller (certificates, templates, feature levels), and the NetworkPolicies.
 */
export class SecurityChart extends Chart {
  constructor(scope: Construct, id: string, model: ClusterModel) {
    const { spec } = model;
    if (spec.runtime.kind !== 'kubernetes') {
      throw new Error(`SecurityChart: environment ${spec.name} runs on ${spec.runtime.kind}, not kubernetes`);
    }
    super(scope, id, { namespace: spec.runtime.namespace, disableResourceNameHashes: true });

    if (model.listeners.some((listener) => listener.tls)) {
      const selfSigned = spec.security.certificates.authority.mode === 'self-signed';
      if (selfSigned) new ClusterCertificateAuthority(this, 'authority', { spec });
      for (const plan of nodeCertificates(model)) new NodeCertificate(this, `${plan.role}-certificate`, { spec, plan });
      // Application clients authenticating with certificates get them from a CA of their own, for declared users only.
      if (selfSigned && usesClientCertificates(model)) new ClientCertificateAuthority(this, 'client-authority', { spec });
      for (const plan of clientCertificates(model)) new UserClientCertificate(this, `user-${plan.user}-certificate`, { spec, plan });
      const caSecretName = caSourceSecret(spec);
      if (caSecretName) new CaTrustBundle(this, 'ca-bundle', { spec, caSecretName });
    }

    const users = scramUsers(spec);
    let previousAdminSecretName: string | undefined;
    if (users.length > 0) {
      const store = new AwsSecretStore(this, 'secret-store', { spec });
      for (const user of users) new UserExternalSecret(this, `user-${user.name}`, { spec, user, secretStoreName: store.name });
      const admin = users.find((user) => user.name === ADMIN_USER);
      if (admin) {
        previousAdminSecretName = new UserExternalSecret(this, 'user-admin-previous', {
          spec,
          user: admin,
          secretStoreName: store.name,
          versionStage: 'AWSPREVIOUS',
        }).secretName;
      }
    }

    // The admin's client certificate (mTLS clusters): the reconcile job and the roller authenticate with it.
    const adminTlsSecretName = model.authorization && !usesScram(spec) ? new AdminClientCertificate(this, 'admin-certificate', { spec }).secretName : undefined;
    // Users and ACLs need an authoriser; topics and quotas are reconciled even without one (dev).
    if (reconcileEnabled(model)) {
      new AclReconcileJob(this, 'reconcile', { model, scramUsers: users, previousAdminSecretName, adminTlsSecretName });
    }
    const adminPasswordSecretName = users.find((user) => user.name === ADMIN_USER)?.kubernetesSecret;
    new KafkaRoller(this, 'roller', { model, adminPasswordSecretName, adminTlsSecretName });
    if (spec.operations.brokers.draining.length > 0) new KafkaDrainJob(this, 'drain', { model, adminPasswordSecretName, adminTlsSecretName });

    new KafkaNetworkPolicies(this, 'network-policies', { model });
  }
}
