import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { clientCertificates } from '../../constructs/kafka/security/certificates';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { aProdSpecWithUsers, resolved } from './fixtures';
import { type KubeObject, objectsOfKind, synthesizedObjects } from './support/manifests';

/** Production whose applications authenticate with client certificates instead of SCRAM. */
function anMtlsProdSpec(users: Record<string, object> = { orders: {}, billing: {} }): EnvironmentSpec {
  const spec = aProdSpecWithUsers({ users });
  return { ...spec, kafka: { ...spec.kafka, listeners: { client: { authentication: 'mtls' } } }, monitoring: { ...spec.monitoring, kafkaExporter: { enabled: false } } };
}

const issuerOf = (certificate: KubeObject) => certificate.spec.issuerRef;

describe('node and admin identities come from the Kafka namespace only', () => {
  const objects = synthesizedObjects(anMtlsProdSpec());
  const certificates = objectsOfKind(objects, 'Certificate');
  const named = (name: string) => certificates.find((certificate) => certificate.metadata.name === name)!;

  test('no ClusterIssuer exists: every issuer is namespaced, in the Kafka namespace', () => {
    expect(objectsOfKind(objects, 'ClusterIssuer')).toEqual([]);
    for (const issuer of objectsOfKind(objects, 'Issuer')) expect(issuer.metadata.namespace).toBe('kafka');
  });

  test('brokers, controllers and admin are signed by the cluster CA Issuer', () => {
    for (const name of ['kafka-broker', 'kafka-controller', 'kafka-admin']) expect(issuerOf(named(name))).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'kafka-ca' });
    expect(named('kafka-admin').spec.commonName).toBe('admin');
  });

  test('applications get theirs from a separate client CA (own key, own Issuer), one per declared user', () => {
    const clientCa = named('kafka-clients-ca');
    expect(clientCa.spec).toMatchObject({ isCA: true, secretName: 'kafka-clients-ca', issuerRef: { kind: 'Issuer', name: 'kafka-ca' } });
    expect(clientCa.spec.secretName).not.toBe(named('kafka-ca').spec.secretName);
    const users = certificates.filter((certificate) => certificate.metadata.name.startsWith('kafka-user-'));
    expect(users.map((certificate) => [certificate.spec.commonName, certificate.spec.secretName, issuerOf(certificate).name])).toEqual([
      ['billing', 'kafka-user-billing-tls', 'kafka-clients-ca'],
      ['orders', 'kafka-user-orders-tls', 'kafka-clients-ca'],
    ]);
    for (const certificate of users) expect(certificate.spec.usages).toEqual(['client auth', 'digital signature']);
  });

  test('the client CA never signs a node or the admin', () => {
    const superUsers = ['admin', 'kafka-broker', 'kafka-controller'];
    for (const certificate of certificates.filter((candidate) => issuerOf(candidate).name === 'kafka-clients-ca')) {
      expect(superUsers).not.toContain(certificate.spec.commonName);
    }
  });

  test('with SCRAM clients there is no client CA at all', () => {
    const scram = objectsOfKind(synthesizedObjects(aProdSpecWithUsers()), 'Certificate').map((certificate) => certificate.metadata.name);
    expect(scram.filter((name) => name.includes('clients-ca') || name.startsWith('kafka-user-'))).toEqual([]);
  });
});

describe('no client principal can be a node or the admin', () => {
  test.each(['admin', 'kafka-broker', 'kafka-controller'])('validation refuses an mTLS user named %s', (user) => {
    const problems = checkEnvironment(anMtlsProdSpec({ orders: {}, billing: {}, [user]: {} })).problems.map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^prod: security\\.users\\.${user} = "${user}", is reserved`))]);
  });

  test('and the certificate plan refuses one even past validation', () => {
    const model = buildClusterModel(resolved(anMtlsProdSpec()));
    const forged = { ...model, spec: { ...model.spec, security: { ...model.spec.security, users: { admin: { passwordVersion: 1 } } } } };
    expect(() => clientCertificates(forged)).toThrow(/user admin would get a client certificate for the super user principal User:admin/);
  });

  test('a bring-your-own ClusterIssuer is refused in production', () => {
    const spec = aProdSpecWithUsers({ certificates: { authority: { mode: 'issuer', kind: 'ClusterIssuer', name: 'corp' } } });
    expect(checkEnvironment(spec).problems.map(formatProblem)).toEqual([
      'prod: security.certificates.authority.kind = "ClusterIssuer", must be "Issuer" in production: whoever can create a Certificate in any namespace could obtain a node or admin identity from a ClusterIssuer',
    ]);
  });

  test('trust-manager must publish from the Kafka namespace, where the CA now lives', () => {
    const spec = aProdSpecWithUsers({ certificates: { trustNamespace: 'cert-manager' } });
    expect(checkEnvironment(spec).problems.map(formatProblem)).toEqual([expect.stringMatching(/^prod: security\.certificates\.trustNamespace = "cert-manager", must be the Kafka namespace "kafka"/)]);
  });
});
