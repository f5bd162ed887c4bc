import { Construct } from 'constructs';
import { ADMIN_USER } from '../../kafka/model/cluster-model';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { nodeIssuer } from '../../kafka/security/certificates';
import { leafCertificate } from './leaf-certificate';
import { securityLabels } from './security-labels';

/** What an {@link AdminClientCertificate} needs: the spec, whose certificate settings give lifetime and issuer. */
export interface AdminClientCertificateProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
}

/** Secret of the admin's client certificate, used when the client listener authenticates with mutual TLS. */
export function adminTlsSecretName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-${ADMIN_USER}-tls`;
}

/** A client certificate with CN=admin (principal `User:admin`) for the reconcile job on an mTLS client listener. */
export class AdminClientCertificate extends Construct {
  /** Secret cert-manager writes the admin's certificate and key to, `<cluster>-admin-tls`. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: AdminClientCertificateProps) {
    super(scope, id);
    const { spec } = props;
    this.secretName = adminTlsSecretName(spec);
    leafCertificate(this, {
      name: `${spec.kafka.clusterName}-${ADMIN_USER}`,
      labels: securityLabels(spec, 'acl-reconciler'),
      secretName: this.secretName,
      commonName: ADMIN_USER,
      durationHours: spec.security.certificates.durationHours,
      renewBeforeHours: spec.security.certificates.renewBeforeHours,
      usages: ['client auth', 'digital signature'],
      issuer: nodeIssuer(spec),
    });
  }
}
