import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { clientCaNames, selfSignedChainNames } from '../../kafka/security/certificates';
import { securityLabels } from './security-labels';
import { signingCa } from './signing-ca';

/** What a {@link ClientCertificateAuthority} needs: a spec whose certificate authority is `self-signed`. */
export interface ClientCertificateAuthorityProps {
  /**
   * The validated environment spec, every default filled in (`ResolvedSpec`). Its
   * `security.certificates.authority.mode` must be `self-signed`.
   */
  readonly spec: ResolvedSpec;
}

/**
 * The CA of application client certificates (mutual TLS client listener): a key of its own, kept apart from the one
 * that signs node and admin certificates, with an Issuer in the Kafka namespace that signs only the spec's users
 * (`UserClientCertificate`). It is an intermediate of the cluster CA, so brokers verify client chains against the
 * CA they already trust and no listener needs a second trust store.
 */
export class ClientCertificateAuthority extends Construct {
  /** Name of the Issuer that signs application users' client certificates. */
  readonly issuerName: string;

  constructor(scope: Construct, id: string, props: ClientCertificateAuthorityProps) {
    super(scope, id);
    const { spec } = props;
    const authority = spec.security.certificates.authority;
    if (authority.mode !== 'self-signed') throw new Error(`ClientCertificateAuthority: ${spec.name} brings its own issuer`);
    const names = clientCaNames(spec);
    const labels = securityLabels(spec, 'client-certificate-authority');
    this.issuerName = names.caIssuer;
    signingCa(this, {
      names,
      durationHours: authority.durationHours,
      labels,
      commonName: `${spec.kafka.clusterName} client CA (${spec.name})`,
      signedBy: selfSignedChainNames(spec).caIssuer,
    });
  }
}
