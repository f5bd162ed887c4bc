/**
 * The examples are built and checked like the rest: the cdk8s one here (schemas, no nulls, wiring from the model);
 * the cdktf one runs through `terraform validate` with every other stack (test/terraform/validate.test.ts).
 */
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { caBundleName } from '../../constructs/kafka/security/certificates';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { OrdersKafkaStack, ordersKafka } from '../../examples/vm-cluster-in-your-own-stack';
import { platformApp } from '../../examples/kafka-in-your-own-chart';
import { App as CdktfApp } from '../../constructs/aws/cdktf';
import { schemaErrors } from '../k8s/kubernetes-schema';
import { nullPaths } from '../k8s/manifests';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

describe('examples/kafka-in-your-own-chart.ts', () => {
  const app = platformApp();
  const objects = app.charts.flatMap((chart) => chart.toJson());
  const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'orders');
  const model = buildClusterModel(validateEnvironment(prod));

  it('puts our charts and the team\'s own in one app', () => {
    expect(objects.filter((object) => object.kind === 'StatefulSet').length).toBeGreaterThanOrEqual(4);
    expect(deployment).toBeDefined();
  });

  it('validates every object against its schema and renders no null', () => {
    expect(objects.flatMap((object) => schemaErrors(object).map((error) => `${object.kind}/${object.metadata?.name}: ${error}`))).toEqual([]);
    expect(objects.flatMap((object) => nullPaths(object))).toEqual([]);
  });

  it('gives the application the brokers\' addresses, protocol and CA from the model', () => {
    const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((entry: { name: string; value?: string }) => [entry.name, entry.value]));
    expect(env.KAFKA_BOOTSTRAP_SERVERS).toBe(model.bootstrapServers);
    expect(env.KAFKA_SECURITY_PROTOCOL).toBe('SASL_SSL');
    const bundle = objects.find((object) => object.kind === 'Bundle');
    expect(bundle?.spec.target.configMap.key).toBe('ca.crt');
    expect(deployment.spec.template.spec.volumes[0].configMap.name).toBe(caBundleName(model.spec));
    expect(bundle?.metadata.name).toBe(caBundleName(model.spec));
  });
});

describe('examples/vm-cluster-in-your-own-stack.ts', () => {
  it('describes a valid cluster and synthesizes a stack with its own provider and no backend of ours', () => {
    expect(() => validateEnvironment(ordersKafka)).not.toThrow();
    const app = new CdktfApp({ outdir: makeTempDir('example-'), stackTraces: false });
    const stack = new OrdersKafkaStack(app, 'orders-kafka');
    const json = JSON.parse(JSON.stringify((stack as unknown as { toTerraform(): unknown }).toTerraform()));
    expect(Object.keys(json.resource.aws_instance ?? {})).toHaveLength(6);
    expect(json.terraform.backend).toBeUndefined();
  });
});
