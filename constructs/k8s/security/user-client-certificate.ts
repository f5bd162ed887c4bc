import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { type ClientCertificatePlan, hoursDuration } from '../../kafka/security/certificates';
import { securityLabels } from './security-labels';

/** What a {@link UserClientCertificate} needs: the spec and the planned certificate of one user. */
export interface UserClientCertificateProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** Subject, Secret, lifetime and issuer, decided by `clientCertificates()`. */
  readonly plan: ClientCertificatePlan;
}

/**
 * One application user's client certificate (`CN=<user>`, principal `User:<user>`) from the client CA, written to
 * `<cluster>-user-<user>-tls` in the Kafka namespace; the user's application mounts it or a copy of it. Client
 * auth only: it cannot serve as a broker.
 */
export class UserClientCertificate extends Construct {
  constructor(scope: Construct, id: string, props: UserClientCertificateProps) {
    super(scope, id);
    const { spec, plan } = props;
    const labels = { ...securityLabels(spec, 'client-certificate'), 'kafka-typed-infra.io/user': plan.user };
    new ApiObject(this, 'certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: plan.name, labels },
      spec: {
        secretName: plan.secretName,
        secretTemplate: { labels },
        commonName: plan.commonName,
        duration: hoursDuration(plan.durationHours),
        renewBefore: hoursDuration(plan.renewBeforeHours),
        privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
        usages: ['client auth', 'digital signature'],
        issuerRef: { group: 'cert-manager.io', kind: plan.issuer.kind, name: plan.issuer.name },
      },
    });
  }
}
