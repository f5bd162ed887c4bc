import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { selfSignedChainNames } from '../../kafka/security/certificates';
import { securityLabels } from './security-labels';
import { signingCa } from './signing-ca';

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
    signingCa(this, { names, durationHours: authority.durationHours, labels, commonName: `${spec.kafka.clusterName} cluster CA (${spec.name})`, signedBy: names.bootstrapIssuer });
  }
}
