import { schemaClass } from '../k8s/kubernetes-schema';
import { ENVIRONMENTS, aProdSpecWithUsers } from './fixtures';
import { externalSecretsErrors } from './support/external-secrets-schema';
import { type KubeObject, objectsOfKind, synthesizedObjects } from './support/manifests';

/** The kubernetes-models / cert-manager model class of an object, or undefined. */
function modelOf(object: KubeObject) {
  for (const packageName of ['kubernetes-models', '@kubernetes-models/cert-manager']) {
    const Model = schemaClass(packageName, object.apiVersion, object.kind);
    if (Model) return Model;
  }
  return undefined;
}

function errorsOf(object: KubeObject): string[] {
  const eso = externalSecretsErrors(object);
  if (eso) return eso.map((error) => `${object.kind} ${object.metadata.name}: ${error}`);
  const Model = modelOf(object);
  if (!Model) return [`${object.kind} ${object.metadata.name}: no schema for ${object.apiVersion}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
  }
}

const variants = {
  dev: ENVIRONMENTS.dev,
  prod: ENVIRONMENTS.prod,
  'prod with users': aProdSpecWithUsers({ externalSecrets: { serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/kafka-secrets' } }),
  'prod with a bring-your-own issuer': aProdSpecWithUsers({ certificates: { authority: { mode: 'issuer', kind: 'Issuer', name: 'corp', caSecretName: 'corp-ca' } } }),
  // Client certificates from the client CA instead of SCRAM passwords.
  'prod with mTLS clients': (() => {
    const spec = aProdSpecWithUsers({ users: { orders: {}, billing: {} } });
    return { ...spec, kafka: { ...spec.kafka, listeners: { client: { authentication: 'mtls' as const } } }, monitoring: { ...spec.monitoring, kafkaExporter: { enabled: false } } };
  })(),
};

describe.each(Object.entries(variants))('security.yaml of %s', (_, input) => {
  const objects = synthesizedObjects(input);

  test('every object validates against its schema (Kubernetes OpenAPI, cert-manager, External Secrets)', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(errorsOf)).toEqual([]);
  });

  test('no Secret objects at all: Secrets are written in the cluster by cert-manager and External Secrets', () => {
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  });

  test('names are unique per kind', () => {
    const keys = objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

test('the ESO schema rejects what ESO would reject', () => {
  const good = objectsOfKind(synthesizedObjects(aProdSpecWithUsers()), 'ExternalSecret')[0];
  expect(externalSecretsErrors(good)).toEqual([]);
  expect(externalSecretsErrors({ ...good, spec: { ...good.spec, target: { ...good.spec.target, creationPolicy: 'Always' } } })).not.toEqual([]);
  expect(externalSecretsErrors({ ...good, spec: { ...good.spec, data: [{ secretKey: 'password', remoteRef: {} }] } })).not.toEqual([]);
  expect(externalSecretsErrors({ ...good, spec: { ...good.spec, refreshIntervall: '1h' } })).not.toEqual([]);
});

describe('users reach Kubernetes only through External Secrets', () => {
  const objects = synthesizedObjects(aProdSpecWithUsers());
  const externalSecrets = objectsOfKind(objects, 'ExternalSecret');

  test('one ExternalSecret per SCRAM user writes userCredentialsSecretName with key password', () => {
    const current = externalSecrets.filter((object) => !object.metadata.name.endsWith('-previous'));
    expect(current.map((object) => object.spec.target.name).sort()).toEqual(['kafka-user-admin', 'kafka-user-billing', 'kafka-user-kafka-exporter', 'kafka-user-orders']);
    for (const object of current) expect(object.spec.data.map((item: { secretKey: string }) => item.secretKey)).toEqual(['password']);
  });

  test('generated users read the secret <env>-secrets creates; existing ones the secret the spec names', () => {
    const remote = Object.fromEntries(externalSecrets.map((object) => [object.metadata.name, object.spec.data[0].remoteRef]));
    expect(remote['kafka-user-orders']).toEqual({ key: 'kafka/prod/kafka/users/orders' });
    expect(remote['kafka-user-billing']).toEqual({ key: 'team-billing/kafka' });
    expect(remote['kafka-user-admin-previous']).toEqual({ key: 'kafka/prod/kafka/users/admin', version: 'AWSPREVIOUS' });
  });

  test('dev without authentication has neither users nor a reconcile job (only the roller)', () => {
    const dev = synthesizedObjects(ENVIRONMENTS.dev);
    expect(objectsOfKind(dev, 'ExternalSecret')).toEqual([]);
    expect(objectsOfKind(dev, 'CronJob').map((object) => object.metadata.name)).toEqual(['kafka-roller']);
    expect(objectsOfKind(dev, 'NetworkPolicy').length).toBeGreaterThan(0);
  });
});

test('the cert-manager schema is really applied: a bad key encoding fails', () => {
  const certificate = objectsOfKind(synthesizedObjects(ENVIRONMENTS.prod), 'Certificate').find((object) => !object.spec.isCA) as KubeObject;
  expect(errorsOf(certificate)).toEqual([]);
  expect(errorsOf({ ...certificate, spec: { ...certificate.spec, privateKey: { encoding: 'PKCS9' } } })).not.toEqual([]);
});

describe('every ConfigMap and Secret a workload mounts or reads is produced by the synthesized objects', () => {
  /** Secrets and ConfigMaps that the objects create, or that cert-manager, ESO and trust-manager write for them. */
  function produced(objects: readonly KubeObject[]): { configMaps: Set<string>; secrets: Set<string> } {
    const configMaps = new Set([...objectsOfKind(objects, 'ConfigMap'), ...objectsOfKind(objects, 'Bundle')].map((o) => o.metadata.name));
    const secrets = new Set([
      ...objectsOfKind(objects, 'Certificate').map((o) => o.spec.secretName as string),
      ...objectsOfKind(objects, 'ExternalSecret').map((o) => (o.spec.target?.name ?? o.metadata.name) as string),
    ]);
    return { configMaps, secrets };
  }

  /** Required (non-optional) references of every pod template: volumes, projected sources, env secretKeyRefs. */
  function references(objects: readonly KubeObject[]): string[] {
    const refs: string[] = [];
    for (const workload of objects.filter((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind))) {
      const pod = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
      const where = `${workload.kind} ${workload.metadata.name}`;
      for (const volume of pod.volumes ?? []) {
        if (volume.configMap && !volume.configMap.optional) refs.push(`${where}: ConfigMap ${volume.configMap.name}`);
        if (volume.secret && !volume.secret.optional) refs.push(`${where}: Secret ${volume.secret.secretName}`);
        for (const source of volume.projected?.sources ?? []) {
          if (source.configMap && !source.configMap.optional) refs.push(`${where}: ConfigMap ${source.configMap.name}`);
          if (source.secret && !source.secret.optional) refs.push(`${where}: Secret ${source.secret.name}`);
        }
      }
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const env of container.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) refs.push(`${where}: Secret ${ref.name}`);
        }
      }
    }
    return refs;
  }

  const cases = {
    'prod (cluster CA, trust-manager bundle)': aProdSpecWithUsers(),
    // A bring-your-own issuer need not publish a CA bundle (caSecretName is optional): nothing may depend on one.
    'bring-your-own issuer without a CA bundle': aProdSpecWithUsers({ certificates: { authority: { mode: 'issuer', kind: 'Issuer', name: 'corp-ca' } } }),
  };

  test.each(Object.entries(cases))('%s', (_, input) => {
    const objects = ['kafka.yaml', 'security.yaml', 'monitoring.yaml'].flatMap((file) => synthesizedObjects(input, file));
    const { configMaps, secrets } = produced(objects);
    const refs = references(objects);
    expect(refs.some((ref) => ref.startsWith('Deployment kafka-kafka-exporter'))).toBe(true);
    const missing = refs.filter((ref) => {
      const [, kind, name] = /: (ConfigMap|Secret) (.+)$/.exec(ref) ?? [];
      return !(kind === 'ConfigMap' ? configMaps : secrets).has(name);
    });
    expect(missing).toEqual([]);
  });
});
