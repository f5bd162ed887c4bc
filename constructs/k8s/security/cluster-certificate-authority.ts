import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { hoursDuration, selfSignedChainNames } from '../../kafka/security/certificates';
import { clusterScoped } from '../cluster-scoped';
import { securityLabels } from './security-labels';

export interface ClusterCertificateAuthorityProps {
  readonly spec: ResolvedSpec;
}

/**
 * A self-signed root that exists only to sign the cluster CA, the CA certificate itself (its key never leaves the
 * Kubernetes Secret cert-manager writes), and a ClusterIssuer that signs with it. The CA lives in the trust namespace
 * (`security.certificates.trustNamespace`, cert-manager's own by default): ClusterIssuers read their Secret from
 * cert-manager's cluster resource namespace and trust-manager reads its sources from there, so one Secret serves
 * both. A ClusterIssuer also lets application namespaces issue mTLS client certificates from the same CA.
 */
export class ClusterCertificateAuthority extends Construct {
  /** The ClusterIssuer that signs node certificates. */
  readonly issuerName: string;

  constructor(scope: Construct, id: string, props: ClusterCertificateAuthorityProps) {
    super(scope, id);
    const { spec } = props;
    const authority = spec.security.certificates.authority;
    if (authority.mode !== 'self-signed') throw new Error(`ClusterCertificateAuthority: ${spec.name} brings its own issuer`);
    const names = selfSignedChainNames(spec);
    const labels = securityLabels(spec, 'certificate-authority');
    this.issuerName = names.caIssuer;
    clusterScoped(
      new ApiObject(this, 'bootstrap-issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: names.bootstrapIssuer, labels },
        spec: { selfSigned: {} },
      }),
    );
    new ApiObject(this, 'ca-certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: names.caCertificate, namespace: spec.security.certificates.trustNamespace, labels },
      spec: {
        isCA: true,
        commonName: `${names.caCertificate} cluster CA`,
        secretName: names.caSecret,
        duration: hoursDuration(authority.durationHours),
        // Renew the CA when a third of its life is left, long before any certificate it signed could outlive it.
        renewBefore: hoursDuration(Math.floor(authority.durationHours / 3)),
        // The CA keeps its key when renewed (cert-manager's default is a new key since v1.18). Every node and client
        // trusts the CA certificate it read at start; with a new key, the first node restarted after the renewal
        // could no longer talk to (nor be trusted by) the others still holding the old CA: brokers would lose the
        // controllers and clients the brokers. With the same key and subject, both CA certificates verify the same
        // chains, so renewal needs no coordinated restart. Replace a compromised CA key deliberately, with a plan.
        privateKey: { algorithm: 'ECDSA', size: 384, encoding: 'PKCS8', rotationPolicy: 'Never' },
        usages: ['cert sign', 'crl sign', 'digital signature'],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: names.bootstrapIssuer },
        secretTemplate: { labels },
      },
    });
    clusterScoped(
      new ApiObject(this, 'ca-issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: names.caIssuer, labels },
        spec: { ca: { secretName: names.caSecret } },
      }),
    );
  }
}
