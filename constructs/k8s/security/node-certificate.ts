import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { type NodeCertificatePlan, hoursDuration } from '../../kafka/security/certificates';
import { securityLabels } from './security-labels';

/** What a {@link NodeCertificate} needs: the spec and the planned certificate of one role. */
export interface NodeCertificateProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** Subject, SANs, lifetime, issuer and Secret, decided by `nodeCertificates()`. */
  readonly plan: NodeCertificatePlan;
}

/**
 * The certificate every node of one role presents and uses as a client: PEM with a PKCS#8 key, so Kafka reads it
 * as `ssl.keystore.type=PEM` without any keystore password. A new key on every renewal (`rotationPolicy: Always`).
 */
export class NodeCertificate extends Construct {
  constructor(scope: Construct, id: string, props: NodeCertificateProps) {
    super(scope, id);
    const { spec, plan } = props;
    const labels = securityLabels(spec, plan.role);
    new ApiObject(this, 'certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: plan.name, labels },
      spec: {
        secretName: plan.secretName,
        secretTemplate: { labels },
        commonName: plan.commonName,
        dnsNames: [...plan.dnsNames],
        duration: hoursDuration(plan.durationHours),
        renewBefore: hoursDuration(plan.renewBeforeHours),
        privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
        // Nodes are servers on their listeners and clients of each other (replication, quorum).
        usages: ['server auth', 'client auth', 'digital signature'],
        issuerRef: { group: 'cert-manager.io', kind: plan.issuer.kind, name: plan.issuer.name },
      },
    });
  }
}
