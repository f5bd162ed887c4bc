import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { parseProperties } from '../../constructs/kafka/config/properties-file';
import { environments } from '../../environments';
import { environmentArtifacts } from '../../synth/environment-artifacts';
import { resolved } from './fixtures';

/** Item 1 and 4 of the security issue, checked on the rendered server.properties of every node of every environment. */
describe.each(environments.map((input) => [input.name, input] as const))('%s', (_, input) => {
  const spec = resolved(input);
  const files = environmentArtifacts(buildClusterModel(spec));
  const nodes = [...files].filter(([path]) => path.startsWith('kafka/') && path.endsWith('.properties'));

  test('has node configs', () => expect(nodes.length).toBeGreaterThan(0));

  test.each(nodes.map(([path, text]) => [path, text]))('%s', (_path, text) => {
    const properties = parseProperties(text);
    const protocols = Object.fromEntries(
      (properties.get('listener.security.protocol.map') ?? '').split(',').map((pair) => pair.split(':') as [string, string]),
    );
    if (spec.tier !== 'dev') {
      expect(Object.values(protocols).filter((protocol) => protocol === 'PLAINTEXT' || protocol === 'SASL_PLAINTEXT')).toEqual([]);
      expect(properties.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
      expect(properties.get('allow.everyone.if.no.acl.found')).toBe('false');
      expect((properties.get('super.users') ?? '').split(';').sort()).toEqual(['User:admin', 'User:kafka-broker', 'User:kafka-controller']);
      expect(properties.get('ssl.endpoint.identification.algorithm')).toBe('https');
      expect(properties.get('ssl.keystore.type')).toBe('PEM');
      // Every listener this node binds authenticates its peers: mTLS or SCRAM.
      const bound = (properties.get('listeners') ?? '').split(',').map((listener) => listener.split(':')[0]);
      for (const listener of bound) {
        const prefix = `listener.name.${listener.toLowerCase()}`;
        const authenticates = properties.get(`${prefix}.ssl.client.auth`) === 'required' || properties.get(`${prefix}.sasl.enabled.mechanisms`) === 'SCRAM-SHA-512';
        expect({ listener, authenticates }).toEqual({ listener, authenticates: true });
      }
    }
    // No key material or password in the file: TLS material only through the config provider.
    for (const key of ['ssl.keystore.key', 'ssl.keystore.certificate.chain', 'ssl.truststore.certificates']) {
      const value = properties.get(key);
      if (value !== undefined) expect(value).toMatch(/^\$\{tls:\/etc\/kafka\/tls:[a-z.]+\}$/);
    }
  });
});
