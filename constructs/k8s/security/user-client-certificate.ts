import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import type { ClientCertificatePlan } from '../../kafka/security/certificates';
import { leafCertificate } from './leaf-certificate';
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
    leafCertificate(this, {
      name: plan.name,
      labels,
      secretName: plan.secretName,
      secretLabels: labels,
      commonName: plan.commonName,
      durationHours: plan.durationHours,
      renewBeforeHours: plan.renewBeforeHours,
      usages: ['client auth', 'digital signature'],
      issuer: plan.issuer,
    });
  }
}
