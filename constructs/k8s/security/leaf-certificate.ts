import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { type IssuerRef, hoursDuration } from '../../kafka/security/certificates';

/** One end-entity certificate as cert-manager should issue it. */
export interface LeafCertificateOptions {
  /** Name of the Certificate object. */
  readonly name: string;
  /** Labels of the Certificate. */
  readonly labels: Record<string, string>;
  /** Secret cert-manager writes the certificate and key to. */
  readonly secretName: string;
  /** Labels cert-manager puts on that Secret. @default - none (the Secret carries no template) */
  readonly secretLabels?: Record<string, string>;
  /** The subject's CN, which is the Kafka principal (`User:<CN>`). */
  readonly commonName: string;
  /** Subject alternative names. @default - none */
  readonly dnsNames?: readonly string[];
  /** Lifetime of the certificate. */
  readonly durationHours: number;
  /** How long before expiry cert-manager renews it. */
  readonly renewBeforeHours: number;
  /** Key usages, e.g. `['client auth', 'digital signature']`. */
  readonly usages: readonly string[];
  /** The Issuer or ClusterIssuer that signs it. */
  readonly issuer: IssuerRef;
}

/**
 * A node's or client's certificate (id `certificate` under `scope`): PEM with a PKCS#8 ECDSA P-256 key, so Kafka
 * reads it as `ssl.keystore.type=PEM` without a keystore password, and a new key on every renewal.
 */
export function leafCertificate(scope: Construct, options: LeafCertificateOptions): void {
  new ApiObject(scope, 'certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: options.name, labels: options.labels },
    spec: {
      secretName: options.secretName,
      ...(options.secretLabels ? { secretTemplate: { labels: options.secretLabels } } : {}),
      commonName: options.commonName,
      ...(options.dnsNames ? { dnsNames: [...options.dnsNames] } : {}),
      duration: hoursDuration(options.durationHours),
      renewBefore: hoursDuration(options.renewBeforeHours),
      privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
      usages: [...options.usages],
      issuerRef: { group: 'cert-manager.io', kind: options.issuer.kind, name: options.issuer.name },
    },
  });
}
