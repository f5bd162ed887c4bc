import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { hoursDuration, selfSignedChainNames } from '../../kafka/security/certificates';
import { securityLabels } from './security-labels';

/** What a {@link ClusterCertificateAuthority} needs: a spec whose certificate authority is `self-signed`. */
export interface ClusterCertificateAuthorityProps {
  /**
   * The validated environment spec, every default filled in (`ResolvedSpec`). Its
   * `security.certificates.authority.mode` must be `self-signed`.
   */
  readonly spec: ResolvedSpec;
}

/**
 * A self-signed root that exists only to sign the cluster CA, the CA certificate itself (its key never leaves the
 * Kubernetes Secret cert-manager writes), and an Issuer that signs with it: all namespaced, in the Kafka namespace.
 * Node certificates (`CN=<cluster>-broker`, `-controller`) and the admin's are super users; a ClusterIssuer would let
 * anyone who can create a Certificate in any namespace obtain one. Application clients get theirs from the separate
 * client CA (`ClientCertificateAuthority`).
 */
export class ClusterCertificateAuthority extends Construct {
  /** The Issuer that signs node and admin certificates. */
  readonly issuerName: string;

  constructor(scope: Construct, id: string, props: ClusterCertificateAuthorityProps) {
    super(scope, id);
    const { spec } = props;
    const authority = spec.security.certificates.authority;
    if (authority.mode !== 'self-signed') throw new Error(`ClusterCertificateAuthority: ${spec.name} brings its own issuer`);
    const names = selfSignedChainNames(spec);
    const labels = securityLabels(spec, 'certificate-authority');
    this.issuerName = names.caIssuer;
    new ApiObject(this, 'bootstrap-issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: names.bootstrapIssuer, labels },
      spec: { selfSigned: {} },
    });
    new ApiObject(this, 'ca-certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: names.caCertificate, labels },
      spec: {
        isCA: true,
        commonName: `${spec.kafka.clusterName} cluster CA (${spec.name})`,
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
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: names.bootstrapIssuer },
        secretTemplate: { labels },
      },
    });
    new ApiObject(this, 'ca-issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: names.caIssuer, labels },
      spec: { ca: { secretName: names.caSecret } },
    });
  }
}
