import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { hoursDuration } from '../../kafka/security/certificates';

/** What {@link signingCa} makes: the CA certificate's names, who signs it and how it is labelled. */
export interface SigningCaOptions {
  /** Names of the CA's Certificate, the Secret holding its key and the Issuer that signs with it. */
  readonly names: { readonly caCertificate: string; readonly caSecret: string; readonly caIssuer: string };
  /** The CA certificate's subject. */
  readonly commonName: string;
  /** The Issuer (in the Kafka namespace) that signs the CA certificate. */
  readonly signedBy: string;
  /** Lifetime of the CA certificate (the spec's `security.certificates.authority.durationHours`). */
  readonly durationHours: number;
  /** Labels of the Certificate, its Secret and the Issuer. */
  readonly labels: Record<string, string>;
}

/**
 * A CA certificate and the namespaced Issuer that signs with it (ids `ca-certificate` and `ca-issuer` under `scope`):
 * the shape of both the cluster CA and the client CA.
 */
export function signingCa(scope: Construct, options: SigningCaOptions): void {
  const { names, labels, durationHours } = options;
  new ApiObject(scope, 'ca-certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: names.caCertificate, labels },
    spec: {
      isCA: true,
      commonName: options.commonName,
      secretName: names.caSecret,
      duration: hoursDuration(durationHours),
      // Renew the CA when a third of its life is left, long before any certificate it signed could outlive it.
      renewBefore: hoursDuration(Math.floor(durationHours / 3)),
      // The CA keeps its key when renewed (cert-manager's default is a new key since v1.18). Every node and client
      // trusts the CA certificate it read at start; with a new key, the first node restarted after the renewal
      // could no longer talk to (nor be trusted by) the others still holding the old CA: brokers would lose the
      // controllers and clients the brokers. With the same key and subject, both CA certificates verify the same
      // chains, so renewal needs no coordinated restart. Replace a compromised CA key deliberately, with a plan.
      privateKey: { algorithm: 'ECDSA', size: 384, encoding: 'PKCS8', rotationPolicy: 'Never' },
      usages: ['cert sign', 'crl sign', 'digital signature'],
      issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: options.signedBy },
      secretTemplate: { labels },
    },
  });
  new ApiObject(scope, 'ca-issuer', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: { name: names.caIssuer, labels },
    spec: { ca: { secretName: names.caSecret } },
  });
}
