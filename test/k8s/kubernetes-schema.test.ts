import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { aThreeZoneProdSpec } from '../fixtures/environments';
import { schemaErrors, schemaOf } from './kubernetes-schema';
import { synthesizeEnvironment } from './full-synth';
import { nullPaths } from './manifests';

/** The Kubernetes environments of the project plus a variant with every optional runtime feature turned on. */
function everyOptionProd() {
  const spec = aThreeZoneProdSpec();
  spec.name = 'prod-options';
  spec.kafka.clusterId = 'x6Lb8dgrS3-oAXlp0E6jEw';
  spec.kafka.controllers.count = 5;
  spec.runtime = {
    kind: 'kubernetes',
    namespace: 'kafka-options',
    storageClass: { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab' },
    priorityClass: { value: 2000000 },
    imagePullPolicy: 'Always',
    imagePullSecrets: ['registry-credentials'],
    nodeSelector: { 'node.kubernetes.io/pool': 'kafka' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }],
    brokerTerminationGracePeriodSeconds: 600,
  };
  spec.kafka.image = 'registry.example.com/mirror/kafka:4.1.1@sha256:' + 'ab'.repeat(32);
  return spec;
}

const environments = { dev, prod, 'prod-options': everyOptionProd() };

describe.each(Object.entries(environments))('Kubernetes objects of %s', (_, input) => {
  const { model, files, objects } = synthesizeEnvironment(input);

  it('gives every pod byte for byte the config written to dist/<env>/kafka/', () => {
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === `${model.spec.kafka.clusterName}-config`)!;
    for (const node of model.nodes) expect(configMap.data[`${node.name}.properties`]).toBe(files.get(`kafka/${node.name}.properties`));
    expect([...files.keys()].filter((path) => path.startsWith('kafka/'))).toHaveLength(model.nodes.length);
  });

  it('synthesizes the cluster objects', () => {
    const kinds = new Set(objects.map((object) => object.kind));
    for (const kind of ['Namespace', 'ConfigMap', 'StatefulSet', 'Service', 'PodDisruptionBudget', 'ServiceAccount']) {
      expect(kinds).toContain(kind);
    }
  });

  it('holds everything a Kafka pod references, or the operator object that writes it', () => {
    const has = (kind: string, name: string) => objects.some((object) => object.kind === kind && object.metadata?.name === name);
    // Secrets are never synthesized with data: cert-manager Certificates and ExternalSecrets write them.
    const secretWriter = (name: string) =>
      objects.some(
        (object) =>
          (object.kind === 'Certificate' && object.spec?.secretName === name) ||
          (object.kind === 'ExternalSecret' && (object.spec?.target?.name ?? object.metadata?.name) === name),
      );
    const missing: string[] = [];
    for (const set of objects.filter((object) => object.kind === 'StatefulSet')) {
      const pod = set.spec.template.spec;
      const need = (ok: boolean, what: string) => ok || missing.push(`${set.metadata.name} needs ${what}`);
      need(has('ServiceAccount', pod.serviceAccountName), `ServiceAccount ${pod.serviceAccountName}`);
      need(has('PriorityClass', pod.priorityClassName), `PriorityClass ${pod.priorityClassName}`);
      for (const claim of set.spec.volumeClaimTemplates) need(has('StorageClass', claim.spec.storageClassName), `StorageClass ${claim.spec.storageClassName}`);
      for (const volume of pod.volumes) {
        if (volume.configMap) need(has('ConfigMap', volume.configMap.name), `ConfigMap ${volume.configMap.name}`);
        if (volume.secret) need(secretWriter(volume.secret.secretName), `Secret ${volume.secret.secretName}`);
      }
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) need(secretWriter(ref.name), `Secret ${ref.name}`);
        }
      }
      need(has('Service', set.spec.serviceName), `Service ${set.spec.serviceName}`);
    }
    expect(missing).toEqual([]);
  });

  it('validates every built-in object against the Kubernetes OpenAPI schema', () => {
    const builtIn = objects.filter((object) => !String(object.apiVersion).includes('.') || String(object.apiVersion).includes('k8s.io'));
    expect(builtIn.every((object) => schemaOf(object) !== undefined)).toBe(true);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
  });

  it('has no null or undefined value anywhere (a mistyped Quantity renders as null)', () => {
    expect(objects.flatMap((object) => nullPaths(object).map((path) => `${object.kind} ${object.metadata?.name}: ${path}`))).toEqual([]);
  });

  it('names every object explicitly, without hash suffixes', () => {
    for (const object of objects) {
      expect(object.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(object.metadata.name).not.toMatch(/-c8[0-9a-f]{6,}$/);
    }
  });
});

describe('the schema check', () => {
  it('fails on an object the API server would reject', () => {
    const { objects } = synthesizeEnvironment(prod);
    const broken = structuredClone(objects.find((object) => object.kind === 'StatefulSet')!);
    broken.spec.template.spec.containers[0].resources.limits.memory = null;
    expect(schemaErrors(broken).join('\n')).toContain('containers/0/resources/limits/memory');
  });

  it('finds nulls', () => {
    expect(nullPaths({ a: { b: [1, null] } })).toEqual(['a.b[1]']);
  });
});
