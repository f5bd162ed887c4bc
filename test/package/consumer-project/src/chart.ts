// The team's own cdk8s app: our charts next to its own chart, which uses one of our constructs and the model.
import { writeFileSync } from 'node:fs';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { buildClusterModel, validateEnvironment, type EnvironmentSpec } from 'kafka-typed-infra';
import { KafkaChart, SecurityChart } from 'kafka-typed-infra/charts';
import { KafkaNamespace } from 'kafka-typed-infra/k8s';
import { payments } from './cluster.js';

const onKubernetes: EnvironmentSpec = {
  ...payments,
  name: 'payments-k8s',
  runtime: { kind: 'kubernetes', namespace: 'payments-kafka' },
  kafka: { ...payments.kafka, clusterId: 'b5qv3ZQ7Rk6WcM1yXJ0T2A', controllers: { count: 3, size: { cpu: 1, memoryGiB: 4 }, storage: { sizeGiB: 20 } }, brokers: { perZone: 1, size: { cpu: 2, memoryGiB: 8 }, storage: { sizeGiB: 100 } } },
};
const model = buildClusterModel(validateEnvironment(onKubernetes));

class PaymentsAppChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'payments', disableResourceNameHashes: true });
    new KafkaNamespace(this, 'namespace', { name: 'payments' });
    new k8s.KubeConfigMap(this, 'kafka-client', {
      metadata: { name: 'payments-kafka-client' },
      data: { 'bootstrap.servers': model.bootstrapServers },
    });
  }
}

const app = new App({ outdir: 'unused' });
new KafkaChart(app, 'kafka', model);
new SecurityChart(app, 'kafka-security', model);
new PaymentsAppChart(app, 'payments');
const out = process.argv[2];
if (out === undefined) throw new Error('usage: node out/src/chart.js <file>');
writeFileSync(out, JSON.stringify(app.charts.flatMap((chart) => chart.toJson())));
