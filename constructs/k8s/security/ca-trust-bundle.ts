import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { caBundleName } from '../../kafka/security/certificates';
import { clusterScoped } from '../cluster-scoped';
import { securityLabels } from './security-labels';

/** What a {@link CaTrustBundle} needs: the spec and the Secret holding the CA certificate. */
export interface CaTrustBundleProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** Secret in trust-manager's trust namespace (`trustNamespace(spec)`) holding the CA certificate under `ca.crt`. */
  readonly caSecretName: string;
}

/**
 * Publishes the cluster CA with trust-manager: every namespace gets a ConfigMap `<ns>-<cluster>-ca` with the CA
 * certificate under `ca.crt`, kept current when the CA renews; clients use it as `ssl.truststore.type=PEM`. Every
 * namespace, because a CA certificate is public and the Kafka namespace's own clients (kafka-exporter) need it as
 * much as applications do: an opt-in label would have to be added to namespaces this project does not own.
 * trust-manager reads sources only from its trust namespace, which for the generated CA is the Kafka namespace.
 */
export class CaTrustBundle extends Construct {
  /** Name of the Bundle and of the ConfigMap trust-manager writes into every namespace. */
  readonly configMapName: string;

  constructor(scope: Construct, id: string, props: CaTrustBundleProps) {
    super(scope, id);
    const { spec } = props;
    this.configMapName = caBundleName(spec);
    clusterScoped(
      new ApiObject(this, 'bundle', {
        apiVersion: 'trust.cert-manager.io/v1alpha1',
        kind: 'Bundle',
        metadata: { name: this.configMapName, labels: securityLabels(spec, 'certificate-authority') },
        spec: {
          sources: [{ secret: { name: props.caSecretName, key: 'ca.crt' } }],
          target: { configMap: { key: 'ca.crt' } },
        },
      }),
    );
  }
}
