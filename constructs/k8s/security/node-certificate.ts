import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import type { NodeCertificatePlan } from '../../kafka/security/certificates';
import { leafCertificate } from './leaf-certificate';
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
    leafCertificate(this, {
      name: plan.name,
      labels,
      secretName: plan.secretName,
      secretLabels: labels,
      commonName: plan.commonName,
      dnsNames: plan.dnsNames,
      durationHours: plan.durationHours,
      renewBeforeHours: plan.renewBeforeHours,
      // Nodes are servers on their listeners and clients of each other (replication, quorum).
      usages: ['server auth', 'client auth', 'digital signature'],
      issuer: plan.issuer,
    });
  }
}
