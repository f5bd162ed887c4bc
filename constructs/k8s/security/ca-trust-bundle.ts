import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/environment-spec';
import { caBundleName, caBundleNamespaceLabel } from '../../kafka/security-certificates';
import { clusterScoped } from '../cluster-scoped';
import { securityLabels } from './security-labels';

export interface CaTrustBundleProps {
  readonly spec: ResolvedSpec;
  /** Secret in the trust namespace holding the CA certificate under `ca.crt`. */
  readonly caSecretName: string;
}

/**
 * Publishes the cluster CA to applications with trust-manager: every namespace labelled
 * `ca.kafka-typed-infra.io/<ns>-<cluster>=true` (and the Kafka namespace) gets a ConfigMap `<ns>-<cluster>-ca` with the
 * CA certificate under `ca.crt`, kept current when the CA renews. Clients use it as `ssl.truststore.type=PEM`.
 */
export class CaTrustBundle extends Construct {
  readonly configMapName: string;

  constructor(scope: Construct, id: string, props: CaTrustBundleProps) {
    super(scope, id);
    const { spec } = props;
    const label = caBundleNamespaceLabel(spec);
    this.configMapName = caBundleName(spec);
    clusterScoped(
      new ApiObject(this, 'bundle', {
        apiVersion: 'trust.cert-manager.io/v1alpha1',
        kind: 'Bundle',
        metadata: { name: this.configMapName, labels: securityLabels(spec, 'certificate-authority') },
        spec: {
          sources: [{ secret: { name: props.caSecretName, key: 'ca.crt' } }],
          target: { configMap: { key: 'ca.crt' }, namespaceSelector: { matchLabels: { [label.key]: label.value } } },
        },
      }),
    );
  }
}
