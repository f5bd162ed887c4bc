/**
 * Example: a platform team with its own cdk8s app adds our Kafka charts to it and wires an application to the cluster
 * from the same model, so the app's bootstrap servers and CA can never drift from what the brokers advertise.
 * Synthesized and schema-validated in the tests (test/examples/examples.test.ts).
 */
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { KafkaChart } from '../charts/kafka-chart';
import { SecurityChart } from '../charts/security-chart';
import { type ClusterModel, buildClusterModel, listenerByKey } from '../constructs/kafka/model/cluster-model';
import { caBundleName } from '../constructs/kafka/security/certificates';
import { validateEnvironment } from '../constructs/kafka/validation/validate';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../constructs/k8s/restricted-security-context';
import { prod } from '../environments/prod';

/** The `orders` application of environments/prod.ts (its user and ACLs are declared there). */
export class OrdersAppChart extends Chart {
  constructor(scope: Construct, id: string, model: ClusterModel) {
    super(scope, id, { namespace: 'orders', disableResourceNameHashes: true });
    const client = listenerByKey(model, 'client');
    const labels = { 'app.kubernetes.io/name': 'orders' };
    new k8s.KubeDeployment(this, 'orders', {
      metadata: { name: 'orders', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(10001),
            containers: [
              {
                name: 'orders',
                image: 'registry.example.com/orders:1.4.2',
                env: [
                  // From the model: every broker's advertised client address and the listener's protocol.
                  { name: 'KAFKA_BOOTSTRAP_SERVERS', value: model.bootstrapServers },
                  { name: 'KAFKA_SECURITY_PROTOCOL', value: client.securityProtocol },
                  { name: 'KAFKA_SASL_MECHANISM', value: 'SCRAM-SHA-512' },
                  { name: 'KAFKA_SASL_USERNAME', value: 'orders' },
                  // A Secret the team syncs into its own namespace (ExternalSecret, see docs/security.md).
                  { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-kafka', key: 'password' } } },
                  // PEM trust store: the cluster CA, published to every namespace by trust-manager.
                  { name: 'KAFKA_SSL_TRUSTSTORE_TYPE', value: 'PEM' },
                  { name: 'KAFKA_SSL_TRUSTSTORE_LOCATION', value: '/etc/kafka-ca/ca.crt' },
                ],
                volumeMounts: [{ name: 'kafka-ca', mountPath: '/etc/kafka-ca', readOnly: true }],
                securityContext: restrictedContainerSecurityContext(10001),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('512Mi') },
                  limits: { memory: k8s.Quantity.fromString('512Mi') },
                },
              },
            ],
            volumes: [{ name: 'kafka-ca', configMap: { name: caBundleName(model.spec), items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
          },
        },
      },
    });
  }
}

/** Our charts and the team's own, in one app. */
export function platformApp(): App {
  const app = new App({ recordConstructMetadata: false });
  const model = buildClusterModel(validateEnvironment(prod));
  new KafkaChart(app, 'kafka', model);
  new SecurityChart(app, 'kafka-security', model);
  new OrdersAppChart(app, 'orders', model);
  return app;
}
