import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { certificateDnsNames, nodeCertificates, sanCovers } from '../../constructs/kafka/security/certificates';
import { aProdSpecWithUsers, resolved } from './fixtures';
import { objectsOfKind, synthesizedObjects } from './support/manifests';

describe('certificate SANs', () => {
  const input = aProdSpecWithUsers({ certificates: { extraDnsNames: ['kafka.example.com'] } });
  const model = buildClusterModel(resolved(input));
  const certificates = objectsOfKind(synthesizedObjects(input), 'Certificate');

  test('sanCovers follows RFC 6125: a wildcard stands for exactly one label', () => {
    expect(sanCovers('*.svc.example', 'a.svc.example')).toBe(true);
    expect(sanCovers('*.svc.example', 'a.b.svc.example')).toBe(false);
    expect(sanCovers('*.svc.example', 'svc.example')).toBe(false);
    expect(sanCovers('host.example', 'host.example')).toBe(true);
  });

  test.each(['controller', 'broker'] as const)('every %s host the model advertises is covered by the synthesized Certificate', (role) => {
    const certificate = certificates.find((object) => object.metadata.name === `kafka-${role}`);
    expect(certificate).toBeDefined();
    const dnsNames: string[] = certificate?.spec.dnsNames;
    const nodes = model.nodes.filter((node) => node.role === role);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect({ host: node.host, covered: dnsNames.some((san) => sanCovers(san, node.host)) }).toEqual({ host: node.host, covered: true });
      // The short `.svc` form of the same name too (what clients inside the cluster often dial).
      const short = node.host.replace(/\.cluster\.local$/, '');
      expect(dnsNames.some((san) => sanCovers(san, short))).toBe(true);
    }
  });

  test('brokers also carry the bootstrap Service and the extra names; controllers do not', () => {
    expect(certificateDnsNames(model, 'broker')).toEqual(
      expect.arrayContaining(['kafka-bootstrap.kafka.svc', 'kafka-bootstrap.kafka.svc.cluster.local', 'kafka.example.com']),
    );
    expect(certificateDnsNames(model, 'controller').some((name) => name.includes('bootstrap') || name === 'kafka.example.com')).toBe(false);
  });

  test('subject, key format, lifetime and Secret follow the contract', () => {
    for (const plan of nodeCertificates(model)) {
      const certificate = certificates.find((object) => object.metadata.name === plan.name);
      expect(certificate?.spec).toMatchObject({
        commonName: `kafka-${plan.role}`,
        secretName: `kafka-${plan.role}-tls`,
        duration: '2160h0m0s',
        renewBefore: '720h0m0s',
        privateKey: { encoding: 'PKCS8', rotationPolicy: 'Always' },
        issuerRef: { kind: 'Issuer', name: 'kafka-ca' },
      });
      expect(certificate?.spec.usages).toEqual(expect.arrayContaining(['server auth', 'client auth']));
    }
  });

  test('the cluster CA keeps its key on renewal, so nodes still trusting the previous CA certificate verify new chains', () => {
    // Nodes load ca.crt only at start and are restarted one at a time: a CA renewed with a new key would split the
    // cluster (old-CA and new-CA nodes reject each other's certificates) until every node had been restarted.
    const ca = certificates.find((object) => object.spec.isCA);
    expect(ca?.spec.privateKey.rotationPolicy).toBe('Never');
  });

  test('bring-your-own issuer: node certificates use it and no CA chain is generated', () => {
    const byo = aProdSpecWithUsers({ certificates: { authority: { mode: 'issuer', kind: 'Issuer', name: 'corp-ca' } } });
    const objects = synthesizedObjects(byo);
    expect(objectsOfKind(objects, 'ClusterIssuer')).toEqual([]);
    expect(objectsOfKind(objects, 'Bundle')).toEqual([]);
    for (const certificate of objectsOfKind(objects, 'Certificate')) {
      expect(certificate.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'corp-ca' });
    }
  });

  test('the whole chain is namespaced: no ClusterIssuer, the CA in the Kafka namespace, only the Bundle cluster-scoped', () => {
    const objects = synthesizedObjects(input);
    expect(objectsOfKind(objects, 'ClusterIssuer')).toEqual([]);
    expect(objectsOfKind(objects, 'Issuer').map((issuer) => issuer.metadata.name).sort()).toEqual(['kafka-ca', 'kafka-selfsigned']);
    for (const object of [...objectsOfKind(objects, 'Issuer'), ...objectsOfKind(objects, 'Certificate')]) {
      // Namespaced objects carry the chart's namespace: the Kafka namespace.
      expect(object.metadata.namespace).toBe('kafka');
    }
    const [bundle] = objectsOfKind(objects, 'Bundle');
    expect(bundle.metadata.namespace).toBeUndefined();
    const ca = objectsOfKind(objects, 'Certificate').find((object) => object.spec.isCA);
    expect(bundle.spec.sources).toEqual([{ secret: { name: ca?.spec.secretName, key: 'ca.crt' } }]);
  });
});
